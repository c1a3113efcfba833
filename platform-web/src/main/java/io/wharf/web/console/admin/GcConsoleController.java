package io.wharf.web.console.admin;

import io.wharf.core.gc.GcParameters;
import io.wharf.core.gc.GcRun;
import io.wharf.core.gc.GcSchedule;
import io.wharf.core.gc.GcService;
import io.wharf.core.iam.Caller;
import io.wharf.web.console.Flash;
import io.wharf.web.console.Paging;
import org.jspecify.annotations.Nullable;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.ResponseBody;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

/**
 * Garbage collection for system administrators ({@code /admin/gc}): the history with what each run
 * freed, a run now (or a dry run), the schedule, and each run's log. {@link GcService} refuses
 * everyone else, who get the 403 page.
 */
@Controller
class GcConsoleController {

    private static final String GC = "/admin/gc";
    private static final int PAGE = 20;

    private final GcService gc;

    GcConsoleController(GcService gc) {
        this.gc = gc;
    }

    @GetMapping(GC)
    String page(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "1") int page, Model model) {
        GcSchedule schedule = gc.schedule(caller);
        model.addAttribute("page", gc.history(caller, Paging.page(page, PAGE)));
        model.addAttribute("schedule", schedule);
        model.addAttribute("nextRun", gc.nextRun(schedule));
        return "admin/gc";
    }

    @PostMapping(GC + "/run")
    String run(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "false") boolean deleteUntagged,
               @RequestParam(defaultValue = "false") boolean dryRun, RedirectAttributes flash) {
        GcRun run = gc.start(caller, new GcParameters(deleteUntagged, dryRun, 1));
        return Flash.notice(flash, (dryRun ? "Dry run " : "Garbage collection ") + run.id() + " started.", GC);
    }

    @PostMapping(GC + "/schedule")
    String schedule(@AuthenticationPrincipal Caller caller, @RequestParam String type,
                    @RequestParam(required = false) @Nullable String cron,
                    @RequestParam(defaultValue = "false") boolean deleteUntagged, RedirectAttributes flash) {
        GcSchedule saved = gc.setSchedule(caller, GcSchedule.of(type, cron, new GcParameters(deleteUntagged, false, 1)));
        return Flash.notice(flash, saved.cron() == null ? "Garbage collection is not scheduled."
            : "Garbage collection scheduled: " + saved.cron() + " (UTC).", GC);
    }

    @GetMapping(value = GC + "/{id}/log", produces = MediaType.TEXT_PLAIN_VALUE)
    @ResponseBody
    String log(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return gc.log(caller, id);
    }
}
