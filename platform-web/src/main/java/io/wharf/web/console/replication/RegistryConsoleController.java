package io.wharf.web.console.replication;

import io.wharf.core.iam.Caller;
import io.wharf.replication.endpoint.EndpointSpec;
import io.wharf.replication.endpoint.EndpointType;
import io.wharf.replication.endpoint.RegistryEndpoint;
import io.wharf.replication.endpoint.RegistryEndpointService;
import io.wharf.web.console.Confirmation;
import io.wharf.web.console.Flash;
import io.wharf.web.console.Paging;
import org.jspecify.annotations.Nullable;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.stereotype.Controller;
import org.springframework.ui.Model;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.servlet.mvc.support.RedirectAttributes;

import java.util.List;

/**
 * Registry endpoints ({@code /admin/registries}): list, add, edit (an empty password keeps the
 * stored one), test connection, delete (confirmed). {@link RegistryEndpointService} admits system
 * administrators only.
 */
@Controller
class RegistryConsoleController {

    static final String REGISTRIES = "/admin/registries";

    private final RegistryEndpointService endpoints;

    RegistryConsoleController(RegistryEndpointService endpoints) {
        this.endpoints = endpoints;
    }

    @GetMapping(REGISTRIES)
    String list(@AuthenticationPrincipal Caller caller, @RequestParam(defaultValue = "1") int page, Model model) {
        model.addAttribute("page", endpoints.list(caller, null, "name", Paging.page(page)));
        model.addAttribute("types", List.of(EndpointType.values()));
        return "replication/registries";
    }

    @PostMapping(REGISTRIES)
    String create(@AuthenticationPrincipal Caller caller, @RequestParam String name, @RequestParam String type,
                  @RequestParam String url, @RequestParam(required = false) @Nullable String username,
                  @RequestParam(required = false) @Nullable String password,
                  @RequestParam(defaultValue = "false") boolean insecure,
                  @RequestParam(required = false) @Nullable String description, RedirectAttributes flash) {
        RegistryEndpoint created = endpoints.create(caller, new EndpointSpec(name, EndpointType.of(type), url, username,
            blankToNull(password), insecure, blankToNull(description)));
        return Flash.notice(flash, "Registry " + created.name() + " added.", REGISTRIES);
    }

    @GetMapping(REGISTRIES + "/{id}")
    String edit(@AuthenticationPrincipal Caller caller, @PathVariable long id, Model model) {
        model.addAttribute("registry", endpoints.get(caller, id));
        model.addAttribute("types", List.of(EndpointType.values()));
        return "replication/registry";
    }

    @PostMapping(REGISTRIES + "/{id}")
    String update(@AuthenticationPrincipal Caller caller, @PathVariable long id, @RequestParam String name,
                  @RequestParam String type, @RequestParam String url, @RequestParam(required = false) @Nullable String username,
                  @RequestParam(required = false) @Nullable String password,
                  @RequestParam(defaultValue = "false") boolean insecure,
                  @RequestParam(required = false) @Nullable String description, RedirectAttributes flash) {
        RegistryEndpoint updated = endpoints.update(caller, id, new EndpointSpec(name, EndpointType.of(type), url, username,
            blankToNull(password), insecure, blankToNull(description)));
        return Flash.notice(flash, "Registry " + updated.name() + " saved.", REGISTRIES);
    }

    @PostMapping(REGISTRIES + "/{id}/ping")
    String ping(@AuthenticationPrincipal Caller caller, @PathVariable long id, RedirectAttributes flash) {
        RegistryEndpointService.Health health = endpoints.ping(caller, id);
        String message = endpoints.get(caller, id).name() + ": " + health.message();
        return health.healthy() ? Flash.notice(flash, message, REGISTRIES) : Flash.alert(flash, message, REGISTRIES);
    }

    @GetMapping(REGISTRIES + "/{id}/delete")
    String confirmDelete(@AuthenticationPrincipal Caller caller, @PathVariable long id, Model model) {
        RegistryEndpoint endpoint = endpoints.get(caller, id);
        return new Confirmation("Delete registry " + endpoint.name(),
            "Wharf forgets " + endpoint.url() + " and its credentials. Policies that use it must be deleted first.",
            REGISTRIES + "/" + id + "/delete", "Delete registry", REGISTRIES).show(model);
    }

    @PostMapping(REGISTRIES + "/{id}/delete")
    String delete(@AuthenticationPrincipal Caller caller, @PathVariable long id, RedirectAttributes flash) {
        RegistryEndpoint endpoint = endpoints.get(caller, id);
        endpoints.delete(caller, id);
        return Flash.notice(flash, "Registry " + endpoint.name() + " deleted.", REGISTRIES);
    }

    static @Nullable String blankToNull(@Nullable String value) {
        return value == null || value.isBlank() ? null : value.strip();
    }
}
