/**
 * The domain event contract ({@link io.wharf.core.event.DomainEvent}). The events themselves live
 * next to the use cases that publish them ({@code registry}, {@code iam}).
 */
@NullMarked
package io.wharf.core.event;

import org.jspecify.annotations.NullMarked;
