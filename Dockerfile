# Wharf's image: the prebuilt executable jar on a Java 17 runtime. Build the jar first, then the image:
#
#   ./mvnw -B -DskipTests package && docker build -t wharf .
#
# The jar is built outside the image so that the build uses the same Maven cache and tests as CI;
# docker only adds the runtime around it (and the class data sharing archive of one training run).
FROM eclipse-temurin:17-jre

# curl serves the health check below; nothing else is added to the base image
RUN apt-get update \
 && apt-get install -y --no-install-recommends curl \
 && rm -rf /var/lib/apt/lists/* \
 && groupadd --system --gid 10001 wharf \
 && useradd --system --uid 10001 --gid wharf --home-dir /var/lib/wharf --shell /usr/sbin/nologin wharf \
 && mkdir -p /opt/wharf /var/lib/wharf \
 && chown wharf:wharf /var/lib/wharf

WORKDIR /opt/wharf
COPY --chown=root:root platform-web/target/wharf.jar /tmp/wharf.jar

# The heap is half the container's memory limit (the rest holds the classes, the compiled code and the
# threads; README, "Resource needs of one node"); the serial collector suits a heap of that size on a
# node of one or two cores. An OutOfMemoryError ends the process so that the orchestrator restarts it
# instead of leaving a half-working node behind the load balancer.
ENV JAVA_TOOL_OPTIONS="-XX:MaxRAMPercentage=50.0 -XX:+UseSerialGC -XX:+ExitOnOutOfMemoryError" \
    WHARF_DATA_DIR=/var/lib/wharf \
    SERVER_PORT=5000

# Class data sharing cuts a third off the start-up. The jar is extracted (Spring Boot's tools jar mode:
# wharf.jar and lib/), and one training run on a throwaway embedded database, which ends once the
# application context is ready, records the classes it loaded in wharf.jsa; every start maps them from
# there. The explicit heap keeps compressed pointers as at run time, whatever the build machine's memory.
RUN java -Djarmode=tools -jar /tmp/wharf.jar extract --destination /opt/wharf \
 && java -Xmx256m -XX:ArchiveClassesAtExit=/opt/wharf/wharf.jsa -Dspring.context.exit=onRefresh \
      -jar /opt/wharf/wharf.jar --wharf.data-dir=/tmp/cds-training --server.port=0 --server.address=127.0.0.1 \
 && rm -rf /tmp/cds-training /tmp/wharf.jar

# Trial mode (no PostgreSQL, filesystem driver) keeps its database and blobs here; with PostgreSQL
# and MinIO only temporary files land here.
VOLUME ["/var/lib/wharf"]

USER 10001:10001
EXPOSE 5000

# The actuator's health answers 503 when the database or the storage is down (Harbor's
# /api/v2.0/health always answers 200 and carries the verdict in its body); /actuator is open.
# Prometheus scrapes /metrics on the same port (open unless WHARF_METRICS_TOKEN is set).
HEALTHCHECK --interval=15s --timeout=5s --start-period=90s --retries=3 \
  CMD curl -fsS -o /dev/null http://127.0.0.1:5000/actuator/health || exit 1

ENTRYPOINT ["java", "-XX:SharedArchiveFile=/opt/wharf/wharf.jsa", "-jar", "/opt/wharf/wharf.jar"]
