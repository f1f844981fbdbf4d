// Parsers of the sections of autoretrain.json that live in their own files; project_config.cc
// calls them with its FieldChecker so their problems are reported with the others.
//
// Thread-safety: plain functions.
#ifndef AUTORETRAIN_RETRAIN_PROJECT_SECTIONS_H_
#define AUTORETRAIN_RETRAIN_PROJECT_SECTIONS_H_

#include "autoretrain/retrain/project.h"
#include "retrain/project_fields.h"

namespace autoretrain::retrain {

// "integrations" (project_integrations_config.cc).
void ParseIntegrations(FieldChecker& fields, const json::Value& value, IntegrationsConfig* out);
// "integrations.sns.topics" from the sns object (project_notify_config.cc).
void ParseSnsTopics(FieldChecker& fields, const json::Object& sns,
                    std::vector<aws::LocalSnsTopic>* out);
// "integrations.http" (project_notify_config.cc).
void ParseHttpIntegration(FieldChecker& fields, const json::Value& value, IntegrationsConfig* out);

// "models" and "retraining" into project->retraining (project_retraining_config.cc); either
// may be null (absent). Reads project->state_machines and project->account (parsed before) for
// the models' pipelines.
void ParseRetraining(FieldChecker& fields, const json::Value* models, const json::Value* retraining,
                     ProjectConfig* project);

// A schedule's or check's "model": sets *state_machine and *input to the retraining trigger and
// ModelTriggerInput, or records a problem at `path` (project_retraining_config.cc).
void ResolveModelTarget(FieldChecker& fields, const ProjectConfig& project, const std::string& path,
                        const std::string& model, std::string* state_machine, json::Value* input);

// "alerts" (project_retraining_config.cc).
// After "integrations" and the account: "alerts.sns_topic" may name a declared topic.
void ParseAlerts(FieldChecker& fields, const json::Value& value, const ProjectConfig& project,
                 AlertsConfig* out);

}  // namespace autoretrain::retrain

#endif  // AUTORETRAIN_RETRAIN_PROJECT_SECTIONS_H_
