package io.wharf.api.scanner;

import io.wharf.api.iam.ApiPage;
import io.wharf.core.iam.Caller;
import io.wharf.core.schedule.HarborSchedule;
import io.wharf.scanner.trigger.ScanAll;
import org.jspecify.annotations.Nullable;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Harbor's scan all: {@code /api/v2.0/system/scanAll/schedule} (GET; POST runs now with
 * {@code Manual} or creates a schedule; PUT changes or, with {@code None}, removes it),
 * {@code /system/scanAll/stop}, and the progress of the newest run and of the newest scheduled one
 * ({@code /scans/all/metrics}, {@code /scans/schedule/metrics}). System administrators, once a
 * default scanner is registered.
 */
@RestController
class ScanAllApiController {

    private final ScanAll scanAll;

    ScanAllApiController(ScanAll scanAll) {
        this.scanAll = scanAll;
    }

    /** Harbor's schedule request: {@code {"schedule":{"type","cron"}}}. */
    record ScheduleRequest(@Nullable Schedule schedule) {

        record Schedule(@Nullable String type, @Nullable String cron) {
        }

        HarborSchedule parsed() {
            return HarborSchedule.of(schedule == null ? null : schedule.type(), schedule == null ? null : schedule.cron());
        }
    }

    @GetMapping("/api/v2.0/system/scanAll/schedule")
    Map<String, Object> schedule(@AuthenticationPrincipal Caller caller) {
        return scanAll.schedule(caller).map(ScanAllApiController::scheduleJson).orElseGet(Map::of);
    }

    @PostMapping("/api/v2.0/system/scanAll/schedule")
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @RequestBody ScheduleRequest body) {
        scanAll.create(caller, body.parsed());
        return ResponseEntity.status(HttpStatus.CREATED).build();
    }

    @PutMapping("/api/v2.0/system/scanAll/schedule")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @RequestBody ScheduleRequest body) {
        scanAll.update(caller, body.parsed());
        return ResponseEntity.ok().build();
    }

    @PostMapping("/api/v2.0/system/scanAll/stop")
    ResponseEntity<Void> stop(@AuthenticationPrincipal Caller caller) {
        scanAll.stop(caller);
        return ResponseEntity.accepted().build();
    }

    @GetMapping("/api/v2.0/scans/all/metrics")
    Map<String, Object> all(@AuthenticationPrincipal Caller caller) {
        return metrics(scanAll.metrics(caller, false).orElse(null));
    }

    @GetMapping("/api/v2.0/scans/schedule/metrics")
    Map<String, Object> scheduled(@AuthenticationPrincipal Caller caller) {
        return metrics(scanAll.metrics(caller, true).orElse(null));
    }

    /** Harbor's {@code Schedule}: the schedule object with its next fire time. */
    static Map<String, Object> scheduleJson(HarborSchedule schedule) {
        Map<String, Object> inner = new LinkedHashMap<>();
        inner.put("type", schedule.type());
        inner.put("cron", schedule.cron());
        inner.put("next_scheduled_time", schedule.nextScheduledTime() == null ? null
            : ApiPage.time(OffsetDateTime.ofInstant(schedule.nextScheduledTime(), ZoneOffset.UTC)));
        return Map.of("schedule", inner);
    }

    /** Harbor's {@code Stats}; zeros when no run happened. */
    private static Map<String, Object> metrics(ScanAll.@Nullable Metrics metrics) {
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("total", metrics == null ? 0 : metrics.total());
        json.put("completed", metrics == null ? 0 : metrics.completed());
        json.put("metrics", metrics == null ? Map.of() : metrics.byStatus());
        json.put("ongoing", metrics != null && metrics.ongoing());
        json.put("trigger", metrics == null ? "" : metrics.trigger());
        if (metrics != null && metrics.requester() != null) {
            json.put("requester", metrics.requester());
        }
        return json;
    }
}
