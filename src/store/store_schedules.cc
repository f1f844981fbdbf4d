// Store: EventBridge Scheduler schedule groups and schedules created through the Scheduler API
// (tables scheduler_groups and scheduler_schedules), each kept as its JSON document.
#include "autoretrain/store/store.h"
#include "store/database.h"
#include "store/resource_tags.h"

namespace autoretrain::store {
namespace {

Error GroupNotFound(const std::string& name) {
  return Error{"ResourceNotFoundException", "Schedule group " + name + " does not exist."};
}

Error ScheduleNotFound(const std::string& group, const std::string& name) {
  return Error{"ResourceNotFoundException", "Schedule " + group + "/" + name + " does not exist."};
}

}  // namespace

Status Store::CreateSchedulerGroup(const std::string& name, const std::string& document,
                                   const std::string& arn, const std::vector<ResourceTag>& tags) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto stmt = db_->Prepare(
      "INSERT INTO scheduler_groups (name, document) VALUES (?1, ?2) ON CONFLICT DO NOTHING");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, name).Bind(2, document);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "creating a schedule group"));
  if (db_->Changes() == 0) {
    return Error{"ConflictException", "Schedule group " + name + " already exists."};
  }
  // A group deleted before tags went with their group could have left some (issue 7 added
  // them): a new group starts with exactly `tags`.
  STORE_RETURN_IF_ERROR(DeleteAllResourceTags(*db_, arn));
  STORE_RETURN_IF_ERROR(WriteResourceTags(*db_, arn, tags));
  return tx.Commit();
}

Result<std::optional<std::string>> Store::GetSchedulerGroup(const std::string& name) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare("SELECT document FROM scheduler_groups WHERE name = ?1");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, name);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading a schedule group");
  return std::optional<std::string>(stmt->Text(0));
}

Result<std::vector<SchedulerGroupRecord>> Store::ListSchedulerGroups() {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare("SELECT name, document FROM scheduler_groups ORDER BY name");
  if (!stmt.ok()) return stmt.take_error();
  std::vector<SchedulerGroupRecord> groups;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) groups.push_back({stmt->Text(0), stmt->Text(1)});
  if (rc != SQLITE_DONE) return db_->Fail(rc, "listing schedule groups");
  return groups;
}

Status Store::DeleteSchedulerGroup(const std::string& name, const std::string& arn) {
  std::lock_guard lock(mu_);
  Transaction tx(*db_);
  STORE_RETURN_IF_ERROR(tx.Begin());
  auto group = db_->Prepare("DELETE FROM scheduler_groups WHERE name = ?1");
  if (!group.ok()) return group.take_error();
  group->Bind(1, name);
  STORE_RETURN_IF_ERROR(db_->Run(*group, "deleting a schedule group"));
  if (db_->Changes() == 0) return GroupNotFound(name);
  auto schedules = db_->Prepare("DELETE FROM scheduler_schedules WHERE group_name = ?1");
  if (!schedules.ok()) return schedules.take_error();
  schedules->Bind(1, name);
  STORE_RETURN_IF_ERROR(db_->Run(*schedules, "deleting a schedule group's schedules"));
  STORE_RETURN_IF_ERROR(DeleteAllResourceTags(*db_, arn));
  return tx.Commit();
}

Status Store::CreateSchedulerSchedule(const SchedulerScheduleRecord& schedule) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(
      "INSERT INTO scheduler_schedules (group_name, name, document) VALUES (?1, ?2, ?3) "
      "ON CONFLICT DO NOTHING");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, schedule.group).Bind(2, schedule.name).Bind(3, schedule.document);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "creating a schedule"));
  if (db_->Changes() == 0) {
    return Error{"ConflictException",
                 "Schedule " + schedule.group + "/" + schedule.name + " already exists."};
  }
  return OkStatus();
}

Status Store::ReplaceSchedulerSchedule(const SchedulerScheduleRecord& schedule) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(
      "UPDATE scheduler_schedules SET document = ?3 WHERE group_name = ?1 AND name = ?2");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, schedule.group).Bind(2, schedule.name).Bind(3, schedule.document);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "updating a schedule"));
  if (db_->Changes() == 0) return ScheduleNotFound(schedule.group, schedule.name);
  return OkStatus();
}

Result<std::optional<std::string>> Store::GetSchedulerSchedule(const std::string& group,
                                                               const std::string& name) {
  std::lock_guard lock(mu_);
  auto stmt =
      db_->Prepare("SELECT document FROM scheduler_schedules WHERE group_name = ?1 AND name = ?2");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, group).Bind(2, name);
  int rc = stmt->Step();
  if (rc == SQLITE_DONE) return std::optional<std::string>();
  if (rc != SQLITE_ROW) return db_->Fail(rc, "reading a schedule");
  return std::optional<std::string>(stmt->Text(0));
}

Result<std::vector<SchedulerScheduleRecord>> Store::ListSchedulerSchedules() {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare(
      "SELECT group_name, name, document FROM scheduler_schedules ORDER BY group_name, name");
  if (!stmt.ok()) return stmt.take_error();
  std::vector<SchedulerScheduleRecord> schedules;
  int rc;
  while ((rc = stmt->Step()) == SQLITE_ROW) {
    schedules.push_back({stmt->Text(0), stmt->Text(1), stmt->Text(2)});
  }
  if (rc != SQLITE_DONE) return db_->Fail(rc, "listing schedules");
  return schedules;
}

Status Store::DeleteSchedulerSchedule(const std::string& group, const std::string& name) {
  std::lock_guard lock(mu_);
  auto stmt = db_->Prepare("DELETE FROM scheduler_schedules WHERE group_name = ?1 AND name = ?2");
  if (!stmt.ok()) return stmt.take_error();
  stmt->Bind(1, group).Bind(2, name);
  STORE_RETURN_IF_ERROR(db_->Run(*stmt, "deleting a schedule"));
  if (db_->Changes() == 0) return ScheduleNotFound(group, name);
  return OkStatus();
}

}  // namespace autoretrain::store
