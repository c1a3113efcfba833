package io.wharf.api.v2;

import org.springframework.context.annotation.Configuration;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

/** Puts the access check in front of every {@code /v2} endpoint. */
@Configuration(proxyBeanMethods = false)
class V2WebConfiguration implements WebMvcConfigurer {

    private final RegistryAccessInterceptor access;

    V2WebConfiguration(RegistryAccessInterceptor access) {
        this.access = access;
    }

    @Override
    public void addInterceptors(InterceptorRegistry registry) {
        registry.addInterceptor(access).addPathPatterns("/_wharf/v2/**");
    }
}
