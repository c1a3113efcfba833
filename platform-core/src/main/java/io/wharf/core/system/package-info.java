/** What Wharf says about itself: version and settings, health, statistics, search across projects. */
@NullMarked
package io.wharf.core.system;

import org.jspecify.annotations.NullMarked;
