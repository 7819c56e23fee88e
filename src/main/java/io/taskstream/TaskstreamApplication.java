package io.taskstream;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * One artifact, four roles: which of {@code tasks}, {@code analytics},
 * {@code notifications} and {@code audit} run in this process is chosen by
 * {@code taskstream.roles}.
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class TaskstreamApplication {

	public static void main(String[] args) {
		SpringApplication.run(TaskstreamApplication.class, args);
	}

}
