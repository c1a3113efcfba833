package io.wharf.api.web;

import org.apache.catalina.Lifecycle;
import io.wharf.core.registry.MirrorProperties;
import org.apache.catalina.Valve;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.core.StandardHost;
import org.apache.catalina.valves.ErrorReportValve;
import org.springframework.boot.tomcat.TomcatConnectorCustomizer;
import org.springframework.boot.tomcat.TomcatContextCustomizer;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.util.Arrays;

/**
 * Tomcat settings shared by every endpoint.
 * <ul>
 *   <li>Encoded slashes ({@code %2F}) reach the application instead of being refused by Tomcat, so
 *       a repository name that carries one gets the spec's {@code NAME_INVALID} answer.</li>
 *   <li>What Tomcat still rejects itself is answered in JSON by {@link JsonErrorReportValve}, which
 *       takes the place of the HTML {@code ErrorReportValve}s (Tomcat's default and the one Spring Boot adds) on the host.</li>
 *   <li>The mirror's own port, when {@code wharf.mirror.port} is set.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
class TomcatConfiguration {

    @Bean
    TomcatConnectorCustomizer encodedSlashPassthrough() {
        return connector -> connector.setEncodedSolidusHandling("passthrough");
    }

    /**
     * {@code wharf.mirror.port}: a second connector, on the main one's address, whose every request
     * is the mirror's (see {@code MirrorRouting}); it passes encoded slashes through as the main one.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> mirrorPort(MirrorProperties mirror) {
        return factory -> {
            if (mirror.port() == null || mirror.project() == null || mirror.project().isBlank()) {
                return;
            }
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(mirror.port());
            if (factory.getAddress() != null) {
                connector.setProperty("address", factory.getAddress().getHostAddress());
            }
            connector.setEncodedSolidusHandling("passthrough");
            factory.addAdditionalConnectors(connector);
        };
    }

    @Bean
    TomcatContextCustomizer jsonErrorReports() {
        // Boot adds the context to its host before running context customizers; the valves are swapped
        // when the host starts, after every customizer ran (Boot's own adds an HTML ErrorReportValve)
        return context -> {
            if (context.getParent() instanceof StandardHost host) {
                host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                host.addLifecycleListener(event -> {
                    if (Lifecycle.BEFORE_START_EVENT.equals(event.getType())) {
                        useJsonErrorReports(host);
                    }
                });
            }
        };
    }

    private static void useJsonErrorReports(StandardHost host) {
        for (Valve valve : host.getPipeline().getValves()) {
            if (valve instanceof ErrorReportValve && !(valve instanceof JsonErrorReportValve)) {
                host.getPipeline().removeValve(valve);
            }
        }
        if (Arrays.stream(host.getPipeline().getValves()).noneMatch(JsonErrorReportValve.class::isInstance)) {
            host.getPipeline().addValve(new JsonErrorReportValve());
        }
    }
}
