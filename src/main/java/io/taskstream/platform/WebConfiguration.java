package io.taskstream.platform;

import java.util.List;

import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;
import org.springframework.web.method.support.HandlerMethodArgumentResolver;
import org.springframework.web.servlet.config.annotation.InterceptorRegistry;
import org.springframework.web.servlet.config.annotation.WebMvcConfigurer;

@Configuration(proxyBeanMethods = false)
class WebConfiguration implements WebMvcConfigurer {

	/** Tomcat's own default. */
	static final int TOMCAT_MAX_CONNECTIONS = 8192;

	/** Connections an instance keeps for API calls and probes when streams fill it. */
	static final int CONNECTIONS_BESIDE_STREAMS = 200;

	private final CallerResolver caller;

	private final Quotas quotas;

	WebConfiguration(IdentityProperties identity, QuotaProperties quotas, Environment environment) {
		this.caller = new CallerResolver(identity);
		this.quotas = new Quotas(quotas);
		checkStreamsFit(quotas,
				environment.getProperty("server.tomcat.max-connections", Integer.class, TOMCAT_MAX_CONNECTIONS));
	}

	/**
	 * Tomcat accepts no connection beyond its limit: the next client waits in the
	 * socket's backlog, unanswered, until it gives up. Streams hold their connections, so
	 * if the stream quota reached that limit, a full instance would hang its clients (and
	 * its API calls) instead of answering 429; it must leave room.
	 */
	static void checkStreamsFit(QuotaProperties quotas, int maxConnections) {
		if (quotas.streamsPerInstance() + CONNECTIONS_BESIDE_STREAMS > maxConnections) {
			throw new IllegalStateException("taskstream.quotas.streams-per-instance (" + quotas.streamsPerInstance()
					+ ") leaves fewer than " + CONNECTIONS_BESIDE_STREAMS
					+ " connections for API calls below server.tomcat.max-connections (" + maxConnections
					+ "); raise server.tomcat.max-connections or lower the quota");
		}
	}

	@Override
	public void addInterceptors(InterceptorRegistry registry) {
		registry.addInterceptor(this.caller).addPathPatterns("/api/v1/**");
		registry.addInterceptor(this.quotas).addPathPatterns("/api/v1/**");
		registry.addInterceptor(new SseStarts());
	}

	@Override
	public void addArgumentResolvers(List<HandlerMethodArgumentResolver> resolvers) {
		resolvers.add(this.caller);
	}

	@Bean
	FilterRegistrationBean<RequestSizeLimitFilter> requestSizeLimitFilter() {
		FilterRegistrationBean<RequestSizeLimitFilter> registration = new FilterRegistrationBean<>(
				new RequestSizeLimitFilter());
		registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
		return registration;
	}

}
