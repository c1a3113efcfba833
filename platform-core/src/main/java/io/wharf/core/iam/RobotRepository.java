package io.wharf.core.iam;

import org.springframework.data.jpa.repository.JpaRepository;

import java.util.List;
import java.util.Optional;

interface RobotRepository extends JpaRepository<RobotEntity, Long> {

    Optional<RobotEntity> findByName(String name);

    List<RobotEntity> findByProjectIdOrderById(long projectId);

    List<RobotEntity> findAllByOrderById();
}
