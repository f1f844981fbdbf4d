// SchedulerService: the Amazon EventBridge Scheduler API (REST JSON, signing name "scheduler")
// of `autoretrain serve`, routed by path:
//
//   POST|GET|PUT|DELETE /schedules/{Name}   CreateSchedule, GetSchedule, UpdateSchedule,
//                                            DeleteSchedule (?groupName=, ?clientToken=)
//   GET /schedules                           ListSchedules (?ScheduleGroup, NamePrefix, State,
//                                            MaxResults, NextToken)
//   POST|GET|DELETE /schedule-groups/{Name}  CreateScheduleGroup, GetScheduleGroup,
//                                            DeleteScheduleGroup (deletes its schedules)
//   GET /schedule-groups                     ListScheduleGroups
//   POST|GET|DELETE /tags/{ResourceArn}      TagResource, ListTagsForResource, UntagResource
//                                            (?TagKeys=K&TagKeys=...): schedule groups only
//
// Schedules created through the API are stored durably (the store's scheduler tables) and fire
// through the daemon's ScheduleRunner like a project's schedules: their target is a state
// machine of this server, started with Target.Input. The project's own schedules
// (autoretrain.json) are listed in the "default" group too, and cannot be changed or deleted
// here. Errors are AWS's: header x-amzn-ErrorType and a JSON body {"Message"} with
// ValidationException (400), ResourceNotFoundException (404) or ConflictException (409).
//
// Thread-safety: Handle may run on many threads at once; operations that change schedules or
// groups are serialized among themselves.
#ifndef AUTORETRAIN_SERVER_SCHEDULER_SERVICE_H_
#define AUTORETRAIN_SERVER_SCHEDULER_SERVICE_H_

#include <map>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include "autoretrain/common/arn.h"
#include "autoretrain/common/clock.h"
#include "autoretrain/retrain/project.h"
#include "autoretrain/retrain/schedule_runner.h"
#include "autoretrain/server/api_handler.h"
#include "autoretrain/store/store.h"

namespace autoretrain::server {

// The path prefixes the service answers (register both with ApiHandler::AddPathService).
inline constexpr char kSchedulesPath[] = "/schedules";
inline constexpr char kScheduleGroupsPath[] = "/schedule-groups";
inline constexpr char kSchedulerTagsPath[] = "/tags";

class SchedulerService final : public PathService {
 public:
  // A schedule of autoretrain.json, as the daemon fires it.
  struct ProjectSchedule {
    std::string name;
    retrain::ScheduleConfig config;
    std::string state_machine_arn;
  };

  // `store`, `runner` and `clock` must outlive the service. `authenticate` (may be empty: every
  // caller is accepted) checks each request's signature for the "scheduler" signing name;
  // register the service with AddPathService(..., authenticate = false) so that the handler's
  // own authenticator (Step Functions' signing name) does not refuse it first.
  SchedulerService(store::Store& store, retrain::ScheduleRunner& runner, AccountContext account,
                   std::vector<ProjectSchedule> project_schedules, Clock& clock,
                   Authenticator authenticate = {});

  // Creates the "default" group in the store when it is not there yet, and adds every stored
  // schedule to the runner (ScheduleRunner::Add: call before the runner's Run). Returns one
  // problem per stored schedule that could not be added (naming it); those stay stored.
  // Fails with the store's errors.
  Result<std::vector<std::string>> Start();

  // Hears the runner's fires: a schedule whose ActionAfterCompletion DELETE made the runner
  // drop it is deleted from the store too, as AWS deletes it. Any thread.
  void OnFired(const retrain::FiredSlot& fired);

  void Handle(const Caller& caller, HttpRequest request, Responder respond) override;

  // Answers one request synchronously (what Handle does, after authentication).
  HttpResponse Invoke(const HttpRequest& request);

 private:
  // A parsed request.
  struct Call {
    std::string method;
    std::string name;  // the {Name} or {ResourceArn} of the path ("" for the list operations)
    std::multimap<std::string, std::string> query;
    json::Object body;

    // The (first) query parameter `key`, or nullopt.
    std::optional<std::string> Query(const std::string& key) const;
  };
  Result<json::Object> CreateSchedule(const Call& call);
  Result<json::Object> UpdateSchedule(const Call& call);
  Result<json::Object> GetSchedule(const Call& call);
  Result<json::Object> DeleteSchedule(const Call& call);
  Result<json::Object> ListSchedules(const Call& call);
  Result<json::Object> CreateScheduleGroup(const Call& call);
  Result<json::Object> GetScheduleGroup(const Call& call);
  Result<json::Object> DeleteScheduleGroup(const Call& call);
  Result<json::Object> ListScheduleGroups(const Call& call);
  // scheduler_tags.cc
  Result<json::Object> TagResource(const Call& call);
  Result<json::Object> UntagResource(const Call& call);
  Result<json::Object> ListTagsForResource(const Call& call);
  // The name of the existing schedule group `arn` names: ValidationException when it is not a
  // schedule group ARN, ResourceNotFoundException when it is another account's or unknown.
  Result<std::string> TaggableGroup(const std::string& arn);

  // The project's schedule `name`, or null.
  const ProjectSchedule* FindProjectSchedule(const std::string& name) const;
  // OK when `group` exists (the default group always does); else ResourceNotFoundException.
  Status GroupExists(const std::string& group);
  // Hands a stored document to the runner (added, replaced or, when disabled, removed).
  Status Fire(const std::string& group, const std::string& name, const json::Object& document);

  store::Store& store_;
  retrain::ScheduleRunner& runner_;
  AccountContext account_;
  std::vector<ProjectSchedule> project_schedules_;
  Clock& clock_;
  Authenticator authenticate_;
  std::mutex mu_;  // serializes changes (store and runner stay in the same order)
};

}  // namespace autoretrain::server

#endif  // AUTORETRAIN_SERVER_SCHEDULER_SERVICE_H_
