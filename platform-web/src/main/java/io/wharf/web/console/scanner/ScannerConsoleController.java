package io.wharf.web.console.scanner;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.Caller;
import io.wharf.core.iam.CveAllowlistService;
import io.wharf.core.schedule.HarborSchedule;
import io.wharf.scanner.client.AdapterMetadata;
import io.wharf.scanner.client.AuthType;
import io.wharf.scanner.registration.RegistrationSpec;
import io.wharf.scanner.registration.ScannerRegistration;
import io.wharf.scanner.registration.ScannerRegistrationService;
import io.wharf.scanner.trigger.ScanAll;
import io.wharf.web.console.AllowlistForm;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.web.console.Paging;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.WebDataBinder;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.InitBinder;
import org.springframework.web.bind.annotation.ModelAttribute;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.time.Clock;
import java.util.List;

/**
 * Scanning administration ({@code /admin/scanners}): the registrations with add (the service fetches
 * the adapter's metadata first; a refused form comes back as typed, with the reason), test
 * connection, set default, enable or disable, delete (confirmed); scan all (run now, the schedule, the
 * newest run's progress, stop); the system's CVE allowlist. {@link ScannerRegistrationService},
 * {@link ScanAll} and {@link CveAllowlistService} admit system administrators only; everyone else
 * gets the 403 page.
 */
@Controller
class ScannerConsoleController {

    static final String SCANNERS = "/admin/scanners";

    /** The schedule types the form offers (Harbor's, without Manual: "Scan now" runs once). */
    static final List<String> SCHEDULE_TYPES = List.of("None", "Hourly", "Daily", "Weekly", "Custom");

    private final ScannerRegistrationService registrations;
    private final ScanAll scanAll;
    private final CveAllowlistService allowlists;
    private final Clock clock;

    ScannerConsoleController(ScannerRegistrationService registrations, ScanAll scanAll, CveAllowlistService allowlists,
                             Clock clock) {
        this.registrations = registrations;
        this.scanAll = scanAll;
        this.allowlists = allowlists;
        this.clock = clock;
    }

    @InitBinder("form")
    void fields(WebDataBinder binder) {
        binder.initDirectFieldAccess();
    }

    /**
     * An auth type as the form offers it.
     *
     * @param id    Harbor's name, the form's value
     * @param label what the menu shows
     */
    record AuthOption(String id, String label) {
    }

    @GetMapping(SCANNERS)
    String list(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "1") int page, Model model) {
        return page(caller, page, new ScannerForm(), model);
    }

    @PostMapping(SCANNERS)
    String create(@AuthenticationPrincipal Caller caller, @ModelAttribute("form") ScannerForm form, Model model,
                  RedirectAttributes flash) {
        try {
            ScannerRegistration created = registrations.create(caller, form.spec(), true);
            return Flash.notice(flash, "Scanner " + created.name() + " added" + (created.isDefault() ? " as the default." : "."),
                SCANNERS);
        } catch (PlatformException e) {
            return refused(caller, form, e, model);
        }
    }

    /** Asks the adapter of the form's settings for its metadata, without saving; the form stays as typed. */
    @PostMapping(SCANNERS + "/ping")
    String ping(@AuthenticationPrincipal Caller caller, @ModelAttribute("form") ScannerForm form, Model model) {
        try {
            AdapterMetadata metadata = registrations.ping(caller, form.spec());
            model.addAttribute(Flash.NOTICE, "The adapter answered: " + metadata.scanner().name() + " "
                + metadata.scanner().version() + " by " + metadata.scanner().vendor() + ".");
            return page(caller, 1, form, model);
        } catch (PlatformException e) {
            return refused(caller, form, e, model);
        }
    }

    /** A refused form is shown again as it was filled in (but its credential), with the reason. */
    private String refused(Caller caller, ScannerForm form, PlatformException e, Model model) {
        if (e.code() == ErrorCode.DENIED || e.code() == ErrorCode.UNAUTHORIZED) {
            throw e;
        }
        model.addAttribute(Flash.ALERT, e.detail() == null ? e.code().message() : String.valueOf(e.detail()));
        form.credential = "";
        return page(caller, 1, form, model);
    }

    @PostMapping(SCANNERS + "/{uuid}/default")
    String makeDefault(@AuthenticationPrincipal Caller caller, @PathVariable String uuid, RedirectAttributes flash) {
        ScannerRegistration registration = registrations.setDefault(caller, uuid);
        return Flash.notice(flash, "Scanner " + registration.name() + " is now the default.", SCANNERS);
    }

    /** Enables or disables a registration; the service checks the adapter again with the stored settings. */
    @PostMapping(SCANNERS + "/{uuid}/enabled")
    String enable(@AuthenticationPrincipal Caller caller, @PathVariable String uuid, @RequestParam boolean enabled,
                  RedirectAttributes flash) {
        ScannerRegistration r = registrations.get(caller, uuid);
        registrations.update(caller, uuid, new RegistrationSpec(r.name(), r.description(), r.url().toString(), r.auth(), null,
            r.skipCertVerify(), r.useInternalAddr(), !enabled));
        return Flash.notice(flash, "Scanner " + r.name() + (enabled ? " enabled." : " disabled."), SCANNERS);
    }

    @GetMapping(SCANNERS + "/{uuid}/delete")
    String confirmDelete(@AuthenticationPrincipal Caller caller, @PathVariable String uuid, Model model) {
        ScannerRegistration registration = registrations.get(caller, uuid);
        return new Confirmation("Delete scanner " + registration.name(),
            "Wharf forgets " + registration.url() + " and its credential; projects that used it fall back to the default scanner."
                + (registration.isDefault() ? " It is the default: while other scanners exist, make another the default first." : ""),
            SCANNERS + "/" + uuid + "/delete", "Delete scanner", SCANNERS).show(model);
    }

    @PostMapping(SCANNERS + "/{uuid}/delete")
    String delete(@AuthenticationPrincipal Caller caller, @PathVariable String uuid, RedirectAttributes flash) {
        ScannerRegistration deleted = registrations.delete(caller, uuid);
        return Flash.notice(flash, "Scanner " + deleted.name() + " deleted.", SCANNERS);
    }

    @PostMapping(SCANNERS + "/scan-all")
    String scanAllNow(@AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        scanAll.create(caller, HarborSchedule.of("Manual", null));
        return Flash.notice(flash, "Scan all started: every image is queued once for its project's scanner.", SCANNERS + "#scan-all");
    }

    @PostMapping(SCANNERS + "/scan-all/schedule")
    String schedule(@AuthenticationPrincipal Caller caller, @RequestParam String type, @RequestParam(defaultValue = "") String cron,
                    RedirectAttributes flash) {
        if (!SCHEDULE_TYPES.contains(type)) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "The schedule is one of " + String.join(", ", SCHEDULE_TYPES) + ".");
        }
        HarborSchedule schedule = HarborSchedule.of(type, cron);
        scanAll.update(caller, schedule);
        return Flash.notice(flash, schedule.cron() == null ? "Scan all is not scheduled."
            : "Scan all is scheduled: " + type + " (" + schedule.cron() + ").", SCANNERS + "#scan-all");
    }

    @PostMapping(SCANNERS + "/scan-all/stop")
    String stopScanAll(@AuthenticationPrincipal Caller caller, RedirectAttributes flash) {
        scanAll.stop(caller);
        return Flash.notice(flash, "The scans of the latest scan all are stopped.", SCANNERS + "#scan-all");
    }

    @PostMapping(SCANNERS + "/allowlist")
    String allowlist(@AuthenticationPrincipal Caller caller, @RequestParam(name = "cve_ids", defaultValue = "") String ids,
                     @RequestParam(defaultValue = "") String expires, RedirectAttributes flash) {
        int count = allowlists.setSystem(caller, AllowlistForm.ids(ids), AllowlistForm.expiresAt(expires)).items().size();
        return Flash.notice(flash, "The system's CVE allowlist holds " + count + (count == 1 ? " id." : " ids."),
            SCANNERS + "#allowlist");
    }

    private String page(Caller caller, int page, ScannerForm form, Model model) {
        Page<ScannerRegistration> found = registrations.list(caller, null, "name", Paging.page(page));
        model.addAttribute("page", found);
        model.addAttribute("form", form);
        model.addAttribute("auths", List.of(new AuthOption(AuthType.NONE.id(), "None"), new AuthOption(AuthType.BASIC.id(), "Basic"),
            new AuthOption(AuthType.BEARER.id(), "Bearer token"), new AuthOption(AuthType.API_KEY.id(), "API key (X-ScannerAdapter-API-Key)")));
        model.addAttribute("scheduleTypes", SCHEDULE_TYPES);
        // scan all needs a default scanner, which exists as soon as any scanner does
        boolean any = found.getTotalElements() > 0;
        HarborSchedule schedule = any ? scanAll.schedule(caller).orElse(null) : null;
        model.addAttribute("scanAllReady", any);
        model.addAttribute("schedule", schedule);
        model.addAttribute("scheduleType", scheduleType(schedule));
        model.addAttribute("metrics", any ? scanAll.metrics(caller, false).orElse(null) : null);
        model.addAttribute("allowlist", AllowlistForm.of(allowlists.system(caller), clock.instant()));
        return "scanners/list";
    }

    /** The schedule's type as the form shows it (Harbor's {@code Schedule} is a custom cron). */
    private static String scheduleType(@Nullable HarborSchedule schedule) {
        if (schedule == null) {
            return "None";
        }
        return SCHEDULE_TYPES.contains(schedule.type()) ? schedule.type() : "Custom";
    }
}
