# One image for every Taskstream role (the chart sets TASKSTREAM_ROLES per Deployment).
# Build after `./mvnw -DskipTests package`:   docker build -t taskstream:dev .
# Not built in this repository's CI: its machines have no Docker engine.

# Unpack the Spring Boot jar into its layers, so a code change rebuilds only the last one.
FROM eclipse-temurin:17-jre AS layers
WORKDIR /build
COPY target/taskstream-*.jar app.jar
RUN java -Djarmode=tools -jar app.jar extract --layers --launcher --destination extracted

FROM eclipse-temurin:17-jre
RUN groupadd --system --gid 10001 taskstream \
 && useradd --system --uid 10001 --gid taskstream --no-create-home --shell /usr/sbin/nologin taskstream
WORKDIR /app
COPY --from=layers /build/extracted/dependencies/ ./
COPY --from=layers /build/extracted/spring-boot-loader/ ./
COPY --from=layers /build/extracted/snapshot-dependencies/ ./
COPY --from=layers /build/extracted/application/ ./
# Numeric, so Kubernetes' runAsNonRoot can verify it.
USER 10001:10001
EXPOSE 8080
ENTRYPOINT ["java", "org.springframework.boot.loader.launch.JarLauncher"]
