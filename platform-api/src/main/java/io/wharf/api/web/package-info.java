/** Web container settings shared by every endpoint. */
@NullMarked
package io.wharf.api.web;

import org.jspecify.annotations.NullMarked;
