package io.wharf.api.security;

import io.wharf.core.iam.LoginService;
import io.wharf.core.iam.Principal;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.core.MethodParameter;
import org.springframework.stereotype.Component;
import org.springframework.web.bind.support.WebDataBinderFactory;
import org.springframework.web.context.request.NativeWebRequest;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.method.support.ModelAndViewContainer;

/**
 * Gives {@code /api} controllers the calling {@link Principal}: from Basic credentials (users and
 * robots), or anonymous without any. Bad credentials answer 401 with a Basic challenge; a Bearer
 * token is not accepted on the API.
 */
@Component
public class CallerArgumentResolver implements HandlerMethodArgumentResolver {

    /** The challenge the API answers unauthenticated requests with. */
    public static final String BASIC_CHALLENGE = "Basic realm=\"wharf\"";

    private final LoginService logins;

    CallerArgumentResolver(LoginService logins) {
        this.logins = logins;
    }

    @Override
    public boolean supportsParameter(MethodParameter parameter) {
        return parameter.getParameterType().equals(Principal.class);
    }

    @Override
    public Principal resolveArgument(MethodParameter parameter, ModelAndViewContainer mav, NativeWebRequest webRequest,
                                     WebDataBinderFactory binderFactory) {
        HttpServletRequest request = webRequest.getNativeRequest(HttpServletRequest.class);
        Credentials credentials = Credentials.of(request);
        if (credentials == null) {
            if (request.getHeader("Authorization") != null) {
                throw new AuthenticationChallenge(BASIC_CHALLENGE, "unsupported or malformed credentials");
            }
            return Principal.ANONYMOUS;
        }
        if (credentials.type() != Credentials.Type.BASIC) {
            throw new AuthenticationChallenge(BASIC_CHALLENGE, "the API takes Basic credentials");
        }
        try {
            return logins.authenticateRequest(credentials.username(), credentials.secret(), request.getRemoteAddr());
        } catch (io.wharf.core.error.PlatformException e) {
            throw new AuthenticationChallenge(BASIC_CHALLENGE, String.valueOf(e.detail()));
        }
    }
}
