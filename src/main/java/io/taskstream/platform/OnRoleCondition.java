package io.taskstream.platform;

import java.util.List;

import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

class OnRoleCondition implements Condition {

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		String role = (String) metadata.getAnnotationAttributes(ConditionalOnRole.class.getName()).get("value");
		return enabledRoles(context).contains(role);
	}

	static List<String> enabledRoles(ConditionContext context) {
		return Binder.get(context.getEnvironment())
			.bind("taskstream.roles", String[].class)
			.map(List::of)
			.orElse(TaskstreamProperties.KNOWN_ROLES);
	}

}
