package io.taskstream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * One artifact, four roles: which of {@code tasks}, {@code analytics},
 * {@code notifications} and {@code audit} run in this process is chosen by
 * {@code taskstream.roles}.
 */
// The Dapr SDK's controller would serve /dapr/subscribe from @Topic methods; the events
// module serves it from the roles' declarations instead (events.dapr.DaprSubscriptions).
@SpringBootApplication(excludeName = "io.dapr.springboot.DaprAutoConfiguration")
@ConfigurationPropertiesScan
public class TaskstreamApplication {

	public static void main(String[] args) {
		SpringApplication.run(TaskstreamApplication.class, args);
	}

}
