/** What Wharf says about itself: version and settings, installation details for administrators, health, statistics, search. */
@NullMarked
package io.wharf.core.system;

import org.jspecify.annotations.NullMarked;
