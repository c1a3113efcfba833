/** Harbor's {@code /projects/{p}/immutabletagrules} and {@code /retentions} endpoints. */
@NullMarked
package io.wharf.api.retention;

import org.jspecify.annotations.NullMarked;
