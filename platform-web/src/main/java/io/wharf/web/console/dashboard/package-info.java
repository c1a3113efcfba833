/** The console's start page: projects, counts and, for administrators, recent audit events. */
@NullMarked
package io.wharf.web.console.dashboard;

import org.jspecify.annotations.NullMarked;
