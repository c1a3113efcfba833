/** What an administrator needs to know about this installation: version, storage, database. */
@NullMarked
package io.wharf.core.system;

import org.jspecify.annotations.NullMarked;
