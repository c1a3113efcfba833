package io.wharf.api.v2;

import io.micrometer.common.KeyValue;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.http.server.observation.DefaultServerRequestObservationConvention;
import org.springframework.http.server.observation.ServerRequestObservationContext;
import org.springframework.stereotype.Component;

/**
 * The {@code uri} tag of {@code http.server.requests} for {@code /v2}: the distribution spec's route
 * template ({@code /v2/{name}/manifests/{reference}}, ...) instead of the internal path the
 * controllers are mapped under ({@link V2RouteFilter}), and the same template for requests the
 * security chain answered before any controller (a 401 challenge, a 403), so that a route's failure
 * rate counts them. Paths that are no endpoint read {@code /v2/**}. Tags stay bounded: never a name,
 * reference or digest. Every other request keeps Spring's tags (its handler's pattern).
 */
@Component
class V2ObservationConvention extends DefaultServerRequestObservationConvention {

    @Override
    protected KeyValue uri(ServerRequestObservationContext context) {
        HttpServletRequest request = context.getCarrier();
        if (request.getAttribute(V2Route.ATTRIBUTE) instanceof V2Route route) {
            return KeyValue.of("uri", template(route.kind()));
        }
        if (request.getAttribute(V2RouteFilter.ERROR_ATTRIBUTE) != null) {
            return KeyValue.of("uri", template(V2Route.Kind.INVALID));
        }
        return super.uri(context);
    }

    /** The route template of an endpoint, as the distribution spec writes it. */
    static String template(V2Route.Kind kind) {
        return switch (kind) {
            case BASE -> "/v2/";
            case CATALOG -> "/v2/_catalog";
            case TAGS -> "/v2/{name}/tags/list";
            case MANIFEST -> "/v2/{name}/manifests/{reference}";
            case BLOB -> "/v2/{name}/blobs/{digest}";
            case UPLOADS -> "/v2/{name}/blobs/uploads/";
            case UPLOAD -> "/v2/{name}/blobs/uploads/{reference}";
            case REFERRERS -> "/v2/{name}/referrers/{digest}";
            case INVALID -> "/v2/**";
        };
    }
}
