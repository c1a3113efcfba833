package io.wharf.core.iam;

import io.wharf.core.error.ErrorCode;
import io.wharf.core.error.PlatformException;

import java.util.EnumSet;
import java.util.Set;

/**
 * A member's role in a project, numbered and named as in Harbor, with Harbor's permission matrix:
 *
 * <pre>
 * capability                                          Admin Maintainer Developer Guest LimitedGuest
 * pull; list repositories, artifacts, tags              x       x          x       x       x
 * see members and robots                                x       x          x       x
 * push, create tags                                     x       x          x
 * delete artifacts, tags, repositories                  x       x
 * manage members, robots, settings; delete project      x
 * read project settings (metadata), project audit log   x       x
 * scan artifacts and stop scans                         x       x
 * manage immutable tag rules                            x       x
 * manage and run tag retention                          x       x          x
 * </pre>
 */
public enum Role {
    PROJECT_ADMIN(1, "projectAdmin", EnumSet.allOf(Capability.class)),
    DEVELOPER(2, "developer", EnumSet.of(Capability.PULL, Capability.READ_MEMBERS, Capability.PUSH, Capability.RETENTION)),
    GUEST(3, "guest", EnumSet.of(Capability.PULL, Capability.READ_MEMBERS)),
    MAINTAINER(4, "maintainer", EnumSet.of(Capability.PULL, Capability.READ_MEMBERS, Capability.PUSH, Capability.DELETE,
        Capability.READ_SETTINGS, Capability.READ_LOGS, Capability.SCAN, Capability.IMMUTABLE_RULES, Capability.RETENTION)),
    LIMITED_GUEST(5, "limitedGuest", EnumSet.of(Capability.PULL));

    /**
     * What a role allows in its project. {@code READ_SETTINGS} reads the project's metadata
     * ({@code /metadatas}); {@code READ_LOGS} reads the project's audit log; {@code SCAN} starts and
     * stops vulnerability scans (Harbor's {@code scan} create and stop); {@code IMMUTABLE_RULES} lists and
     * changes immutable tag rules (Harbor's {@code immutable-tag}); {@code RETENTION} reads, changes and runs
     * the tag retention policy (Harbor's {@code tag-retention}, which Harbor grants developers too).
     */
    public enum Capability { PULL, READ_MEMBERS, PUSH, DELETE, MANAGE, READ_SETTINGS, READ_LOGS, SCAN, IMMUTABLE_RULES, RETENTION }

    private final int id;
    private final String harborName;
    private final Set<Capability> capabilities;

    Role(int id, String harborName, Set<Capability> capabilities) {
        this.id = id;
        this.harborName = harborName;
        this.capabilities = capabilities;
    }

    /** Harbor's {@code role_id}. */
    public int id() {
        return id;
    }

    /** Harbor's {@code role_name}. */
    public String harborName() {
        return harborName;
    }

    public boolean allows(Capability capability) {
        return capabilities.contains(capability);
    }

    /** The role with Harbor's {@code role_id}; {@link ErrorCode#INVALID_ARGUMENT} for any other number. */
    public static Role of(int id) {
        for (Role role : values()) {
            if (role.id == id) {
                return role;
            }
        }
        throw new PlatformException(ErrorCode.INVALID_ARGUMENT, "role_id must be 1 to 5, not " + id);
    }
}
