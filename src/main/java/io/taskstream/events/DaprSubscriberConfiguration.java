package io.taskstream.events;

import org.springframework.boot.autoconfigure.condition.ConditionalOnExpression;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** What every role needs beside a Dapr sidecar. */
@Configuration(proxyBeanMethods = false)
class DaprSubscriberConfiguration {

	@Bean
	@ConditionalOnExpression("!'${taskstream.events.dapr.app-api-token:}'.isBlank()")
	FilterRegistrationBean<DaprAppTokenFilter> daprAppTokenFilter(EventsProperties properties) {
		FilterRegistrationBean<DaprAppTokenFilter> registration = new FilterRegistrationBean<>(
				new DaprAppTokenFilter(properties.dapr().appApiToken()));
		registration.addUrlPatterns("/dapr/*");
		return registration;
	}

	@Bean
	@ConditionalOnProperty(name = "taskstream.events.transport", havingValue = "dapr")
	DaprSidecarHealthIndicator daprSidecarHealthIndicator(EventsProperties properties) {
		return new DaprSidecarHealthIndicator(properties.dapr());
	}

}
