package io.wharf.api.retention;

import io.wharf.core.iam.Caller;
import io.wharf.core.tagrule.ImmutableTagRule;
import io.wharf.core.tagrule.ImmutableTagRuleService;
import org.springframework.http.ResponseEntity;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.PutMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.util.List;
import java.util.Map;

/**
 * {@code /api/v2.0/projects/{p}/immutabletagrules} as Harbor's: list, create, update, delete; project
 * administrators and maintainers (and system administrators) only.
 */
@RestController
class ImmutableTagRuleApiController {

    private static final String RULES = "/api/v2.0/projects/{project}/immutabletagrules";

    private final ImmutableTagRuleService rules;

    ImmutableTagRuleApiController(ImmutableTagRuleService rules) {
        this.rules = rules;
    }

    @GetMapping(RULES)
    ResponseEntity<List<Map<String, Object>>> list(@AuthenticationPrincipal Caller caller, @PathVariable String project) {
        List<ImmutableTagRule> all = rules.list(caller, project);
        return ResponseEntity.ok().header("X-Total-Count", String.valueOf(all.size()))
            .body(all.stream().map(RetentionJson::immutableRule).toList());
    }

    @PostMapping(RULES)
    ResponseEntity<Void> create(@AuthenticationPrincipal Caller caller, @PathVariable String project,
                                @RequestBody RetentionJson.RuleRequest body) {
        ImmutableTagRule created = rules.create(caller, project, body.immutableSpec());
        return ResponseEntity.created(URI.create("/api/v2.0/projects/" + project + "/immutabletagrules/" + created.id())).build();
    }

    @PutMapping(RULES + "/{id}")
    ResponseEntity<Void> update(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id,
                                @RequestBody RetentionJson.RuleRequest body) {
        rules.update(caller, project, id, body.immutableSpec());
        return ResponseEntity.ok().build();
    }

    @DeleteMapping(RULES + "/{id}")
    ResponseEntity<Void> delete(@AuthenticationPrincipal Caller caller, @PathVariable String project, @PathVariable long id) {
        rules.delete(caller, project, id);
        return ResponseEntity.ok().build();
    }
}
