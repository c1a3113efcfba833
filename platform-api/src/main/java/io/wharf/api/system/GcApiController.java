package io.wharf.api.system;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.gc.GcParameters;
import io.wharf.core.gc.GcRun;
import io.wharf.core.gc.GcSchedule;
import io.wharf.core.gc.GcService;
import io.wharf.core.iam.Caller;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;
import org.springframework.data.domain.Page;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.time.OffsetDateTime;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Harbor's {@code /api/v2.0/system/gc}: the history of collections ({@code GET}, paged), one run and
 * its log (plain text), and the schedule ({@code GET}, {@code POST}, {@code PUT} of
 * {@code {"schedule":{"type","cron"},"parameters":{"delete_untagged","dry_run","workers"}}}; type
 * {@code Manual} in a {@code POST} starts a run now). Wharf adds what each run freed to Harbor's
 * history item. System administrators only (the service decides).
 */
@RestController
@RequestMapping("/api/v2.0/system/gc")
class GcApiController {

    private static final String BASE = "/api/v2.0/system/gc";

    private final GcService gc;

    GcApiController(GcService gc) {
        this.gc = gc;
    }

    record ScheduleObj(@Nullable String type, @Nullable String cron) {
    }

    record Parameters(@Nullable Boolean delete_untagged, @Nullable Boolean dry_run, @Nullable Integer workers) {

        GcParameters toCore() {
            return new GcParameters(Boolean.TRUE.equals(delete_untagged), Boolean.TRUE.equals(dry_run),
                workers == null ? 1 : workers);
        }
    }

    record ScheduleRequest(@Nullable ScheduleObj schedule, @Nullable Parameters parameters) {

        ScheduleObj requireSchedule() {
            if (schedule == null || schedule.type() == null) {
                throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "schedule.type is required");
            }
            return schedule;
        }

        GcParameters coreParameters() {
            return parameters == null ? GcParameters.DEFAULT : parameters.toCore();
        }
    }

    @GetMapping
    ResponseEntity<List<Map<String, Object>>> history(@AuthenticationPrincipal Caller caller,
                                                      @RequestParam(required = false) @Nullable Integer page,
                                                      @RequestParam(name = "page_size", required = false) @Nullable Integer pageSize,
                                                      HttpServletRequest request) {
        ApiPage paging = ApiPage.of(page, pageSize);
        Page<GcRun> result = gc.history(caller, paging.pageable());
        return ResponseEntity.ok().headers(paging.headers(request, result)).body(result.map(GcApiController::run).getContent());
    }

    @GetMapping("/{id}")
    Map<String, Object> get(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return run(gc.get(caller, id));
    }

    @GetMapping(value = "/{id}/log", produces = MediaType.TEXT_PLAIN_VALUE)
    String log(@AuthenticationPrincipal Caller caller, @PathVariable long id) {
        return gc.log(caller, id);
    }

    @GetMapping("/schedule")
    Map<String, Object> schedule(@AuthenticationPrincipal Caller caller) {
        return schedule(gc.schedule(caller));
    }

    /** Type {@code Manual} starts a collection now (201 with its address); any other sets the schedule (201). */
    @PostMapping("/schedule")
    ResponseEntity<Map<String, Object>> create(@AuthenticationPrincipal Caller caller, @RequestBody ScheduleRequest body) {
        ScheduleObj requested = body.requireSchedule();
        if ("manual".equalsIgnoreCase(requested.type())) {
            GcRun run = gc.start(caller, body.coreParameters());
            return ResponseEntity.created(URI.create(BASE + "/" + run.id())).body(run(run));
        }
        GcSchedule saved = gc.setSchedule(caller, GcSchedule.of(requested.type(), requested.cron(), body.coreParameters()));
        return ResponseEntity.created(URI.create(BASE + "/schedule")).body(schedule(saved));
    }

    @PutMapping("/schedule")
    Map<String, Object> update(@AuthenticationPrincipal Caller caller, @RequestBody ScheduleRequest body) {
        ScheduleObj requested = body.requireSchedule();
        if ("manual".equalsIgnoreCase(requested.type())) {
            throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "a Manual run is started with POST, not PUT");
        }
        return schedule(gc.setSchedule(caller, GcSchedule.of(requested.type(), requested.cron(), body.coreParameters())));
    }

    private Map<String, Object> schedule(GcSchedule schedule) {
        Map<String, Object> obj = new LinkedHashMap<>();
        obj.put("type", schedule.type());
        obj.put("cron", schedule.cron() == null ? "" : schedule.cron());
        OffsetDateTime next = gc.nextRun(schedule);
        obj.put("next_scheduled_time", next == null ? null : ApiPage.time(next));
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("schedule", obj);
        json.put("job_parameters", parameters(schedule.parameters()));
        json.put("parameters", parametersObject(schedule.parameters()));
        json.put("creation_time", schedule.createdAt() == null ? null : ApiPage.time(schedule.createdAt()));
        json.put("update_time", schedule.updatedAt() == null ? null : ApiPage.time(schedule.updatedAt()));
        return json;
    }

    static Map<String, Object> run(GcRun run) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("id", run.id());
        json.put("job_name", "GARBAGE_COLLECTION");
        json.put("job_kind", run.trigger().equals("Manual") ? "MANUAL" : "SCHEDULE");
        json.put("job_parameters", parameters(run.parameters()));
        json.put("schedule", Map.of("type", run.trigger()));
        json.put("job_status", run.status());
        json.put("deleted", false);
        json.put("creation_time", ApiPage.time(run.createdAt()));
        json.put("update_time", ApiPage.time(run.updatedAt()));
        // Wharf's additions: what the run freed (or, dry, would free)
        json.put("manifests_deleted", run.manifestsDeleted());
        json.put("links_deleted", run.linksDeleted());
        json.put("blobs_deleted", run.blobsDeleted());
        json.put("objects_deleted", run.objectsDeleted());
        json.put("freed_bytes", run.freedBytes());
        return json;
    }

    /** Harbor's {@code job_parameters}: the parameters as a JSON string. */
    private static String parameters(GcParameters p) {
        return "{\"delete_untagged\":" + p.deleteUntagged() + ",\"dry_run\":" + p.dryRun() + ",\"workers\":" + p.workers() + "}";
    }

    private static Map<String, Object> parametersObject(GcParameters p) {
        return Map.of("delete_untagged", p.deleteUntagged(), "dry_run", p.dryRun(), "workers", p.workers());
    }
}
