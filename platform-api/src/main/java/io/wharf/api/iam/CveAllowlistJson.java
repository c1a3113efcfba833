package io.wharf.api.iam;

import com.fasterxml.jackson.annotation.JsonProperty;
import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;
import io.wharf.core.iam.CveAllowlist;
import io.wharf.core.iam.ProjectSettingsService;
import org.jspecify.annotations.Nullable;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Harbor's {@code CVEAllowlist} JSON: {@code id}, {@code project_id}, {@code expires_at} (Unix
 * seconds or null), {@code items} as {@code [{"cve_id"}]} and the times; read and written here for
 * the project request and {@code /system/CVEAllowlist}.
 */
final class CveAllowlistJson {

    private static final String ZERO_TIME = "0001-01-01T00:00:00.000Z";

    private CveAllowlistJson() {
    }

    /** The request body's form. */
    record Body(@Nullable List<@Nullable Map<String, Object>> items, @JsonProperty("expires_at") @Nullable Long expiresAt) {

        ProjectSettingsService.AllowlistUpdate update() {
            List<String> ids = new ArrayList<>();
            if (items != null) {
                for (Map<String, Object> item : items) {
                    Object id = item == null ? null : item.get("cve_id");
                    if (!(id instanceof String text)) {
                        throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "every item needs a cve_id string");
                    }
                    ids.add(text);
                }
            }
            return new ProjectSettingsService.AllowlistUpdate(ids, expiresAt);
        }
    }

    static Map<String, Object> json(CveAllowlist list) {
        Map<String, Object> json = new LinkedHashMap<>();
        // a list never saved reads as Harbor's: id 0 and Go's zero time
        json.put("id", list.creationTime() == null ? 0 : list.projectId());
        json.put("project_id", list.projectId());
        json.put("expires_at", list.expiresAt());
        json.put("items", list.items().stream().map(id -> Map.of("cve_id", id)).toList());
        json.put("creation_time", list.creationTime() == null ? ZERO_TIME : ApiPage.time(list.creationTime()));
        json.put("update_time", list.updateTime() == null ? ZERO_TIME : ApiPage.time(list.updateTime()));
        return json;
    }
}
