package io.taskstream.platform;

import jakarta.validation.valueextraction.ExtractedValue;
import jakarta.validation.valueextraction.UnwrapByDefault;
import jakarta.validation.valueextraction.ValueExtractor;

/**
 * Lets constraints on a {@link Patch}'s type argument check the value a client sent, and
 * nothing when the field was absent (absent means "unchanged", which is always valid).
 */
@UnwrapByDefault
class PatchValueExtractor implements ValueExtractor<Patch<@ExtractedValue ?>> {

	@Override
	public void extractValues(Patch<?> patch, ValueReceiver receiver) {
		if (patch.present()) {
			receiver.value(null, patch.value());
		}
	}

}
