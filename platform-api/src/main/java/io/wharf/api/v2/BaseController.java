package io.wharf.api.v2;

import io.wharf.core.error.PlatformException;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RestController;

/** {@code GET /v2/}: the API version check; and the handler of paths that did not parse. */
@RestController
class BaseController {

    @RequestMapping(path = "/_wharf/v2/base", method = {RequestMethod.GET, RequestMethod.HEAD})
    ResponseEntity<byte[]> base() {
        return ResponseEntity.ok().contentType(MediaType.APPLICATION_JSON).body("{}".getBytes());
    }

    @RequestMapping(path = "/_wharf/v2/invalid")
    void invalid(HttpServletRequest request) {
        Object error = request.getAttribute(V2RouteFilter.ERROR_ATTRIBUTE);
        if (error instanceof PlatformException e) {
            throw e;
        }
        throw new PlatformException(io.wharf.core.error.ErrorCode.NOT_FOUND, "no such endpoint");
    }
}
