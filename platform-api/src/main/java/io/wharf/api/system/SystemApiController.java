package io.wharf.api.system;

import io.wharf.core.iam.Caller;
import io.wharf.core.system.HealthReport;
import io.wharf.core.system.Statistics;
import io.wharf.core.system.StatisticsService;
import io.wharf.core.system.SystemInfo;
import io.wharf.core.system.SystemService;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.servlet.support.ServletUriComponentsBuilder;

import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code /api/v2.0/ping}, {@code /health}, {@code /systeminfo} and {@code /statistics}, in Harbor's
 * shapes. Health answers 200 with {@code "unhealthy"} in the body when a component fails, as Harbor does.
 */
@RestController
@RequestMapping("/api/v2.0")
class SystemApiController {

    private static final DateTimeFormatter TIME = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSS'Z'");

    private final SystemService system;
    private final StatisticsService statistics;

    SystemApiController(SystemService system, StatisticsService statistics) {
        this.system = system;
        this.statistics = statistics;
    }

    @GetMapping(path = "/ping", produces = MediaType.TEXT_PLAIN_VALUE)
    String ping() {
        return "Pong";
    }

    @GetMapping("/health")
    Map<String, Object> health() {
        HealthReport report = system.health();
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("status", report.status());
        json.put("components", report.components().stream().map(c -> {
            Map<String, Object> component = new LinkedHashMap<>();
            component.put("name", c.name());
            component.put("status", c.status());
            if (c.error() != null) {
                component.put("error", c.error());
            }
            return component;
        }).toList());
        return json;
    }

    @GetMapping("/systeminfo")
    Map<String, Object> systemInfo(@AuthenticationPrincipal Caller caller, HttpServletRequest request) {
        String base = ServletUriComponentsBuilder.fromContextPath(request).replaceQuery(null).build().toUriString();
        SystemInfo info = system.info(caller, base);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("auth_mode", info.authMode());
        json.put("primary_auth_mode", false);
        json.put("self_registration", info.selfRegistration());
        json.put("banner_message", "");
        json.put("oidc_provider_name", "");
        SystemInfo.Details details = info.details();
        if (details != null) {
            json.put("harbor_version", details.version());
            json.put("external_url", details.externalUrl());
            json.put("registry_url", details.registryUrl());
            json.put("registry_storage_provider_name", details.storageProvider());
            json.put("project_creation_restriction", details.projectCreationRestriction());
            json.put("has_ca_root", false);
            json.put("read_only", false);
            json.put("with_chartmuseum", false);
            json.put("notification_enable", false);
            json.put("current_time", TIME.format(details.currentTime().truncatedTo(ChronoUnit.MILLIS).atOffset(ZoneOffset.UTC)));
        }
        return json;
    }

    @GetMapping("/statistics")
    Map<String, Object> statistics(@AuthenticationPrincipal Caller caller) {
        Statistics s = statistics.statistics(caller);
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("private_project_count", s.privateProjectCount());
        json.put("private_repo_count", s.privateRepoCount());
        json.put("public_project_count", s.publicProjectCount());
        json.put("public_repo_count", s.publicRepoCount());
        json.put("total_project_count", s.totalProjectCount());
        json.put("total_repo_count", s.totalRepoCount());
        json.put("total_storage_consumption", s.totalStorageConsumption());
        return json;
    }
}
