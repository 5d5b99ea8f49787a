# The autonomic command (worker, receiver, topology tools) as an image; the Flink jobs run from their job jars on
# the Flink image (see docker-compose.yml).
FROM maven:3.9-eclipse-temurin-17 AS build
WORKDIR /src
COPY . .
RUN mvn -B -q -DskipTests install

FROM eclipse-temurin:17-jre
WORKDIR /opt/autonomic
COPY --from=build /src/cli/target/classes /opt/autonomic/classes
COPY --from=build /src/cli/target/classpath.txt /opt/autonomic/classpath.txt
COPY --from=build /root/.m2/repository /root/.m2/repository
COPY --from=build /src/*/target/*.jar /opt/autonomic/modules/
RUN printf '#!/bin/sh\nexec java $JAVA_OPTS -cp "/opt/autonomic/classes:$(cat /opt/autonomic/classpath.txt)" io.autonomic.cli.Autonomic "$@"\n' \
      > /usr/local/bin/autonomic && chmod +x /usr/local/bin/autonomic
ENTRYPOINT ["autonomic"]
