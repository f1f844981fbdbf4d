// A project's store: DATA_DIR/autoretrain.db, opened for recording (OpenHistorySink) or for
// reading what was recorded (OpenProjectStore), and its retention (PurgeExpiredExecutions).
// See project.h.
#include <chrono>
#include <filesystem>

#include "autoretrain/retrain/project.h"

namespace autoretrain::retrain {

namespace fs = std::filesystem;

namespace {

// Executions deleted per purge transaction: small, so the write lock is never held long.
constexpr int kPurgeBatchSize = 100;

}  // namespace

std::string DatabasePath(const ProjectConfig& config) {
  if (config.data_dir.empty()) return "";
  return (fs::path(config.data_dir) / kDatabaseFile).string();
}

Result<std::unique_ptr<store::Store>> OpenProjectStore(const ProjectConfig& config) {
  const std::string path = DatabasePath(config);
  if (path.empty()) {
    return Error{"InvalidProjectConfig", "the project has no data_dir to keep executions in"};
  }
  std::error_code ec;
  if (!fs::exists(path, ec)) return store::Store::OpenInMemory();
  store::StoreOptions options;
  options.read_only = true;
  Result<std::unique_ptr<store::Store>> opened = store::Store::Open(path, options);
  // A database without a schema holds nothing yet (a first run may be creating it right now).
  if (!opened.ok() && opened.error().error == store::kStoreUninitialized) {
    return store::Store::OpenInMemory();
  }
  // A database written by an earlier version needs its migrations once: a short write, after
  // which it opens for reading. When it cannot be written either, that error is reported.
  if (!opened.ok() && opened.error().error == store::kStoreReadOnly) {
    Result<std::unique_ptr<store::Store>> migrated = store::Store::Open(path);
    if (!migrated.ok()) return migrated;
    migrated->reset();
    opened = store::Store::Open(path, options);
  }
  return opened;
}

Result<int64_t> PurgeExpiredExecutions(const ProjectConfig& config, store::Store& store,
                                       TimePoint now) {
  if (config.retention_days <= 0) {
    return Error{"InvalidProjectConfig", "retention_days must be a positive number of days, got " +
                                             std::to_string(config.retention_days)};
  }
  const TimePoint cutoff = now - std::chrono::days(config.retention_days);
  return store.PurgeFinishedBefore(cutoff, kPurgeBatchSize);
}

HistorySink OpenHistorySink(const ProjectConfig& config, integrations::WarningSink warn) {
  HistorySink sink;
  sink.database = DatabasePath(config);
  if (sink.database.empty()) return sink;
  auto report = [&](const Error& error) {
    if (warn) warn(integrations::HistoryWarning(sink.database, error));
  };
  std::error_code ec;
  fs::create_directories(config.data_dir, ec);
  if (ec) {
    report(Error{store::kStoreError,
                 "cannot create the directory '" + config.data_dir + "': " + ec.message()});
    return sink;
  }
  Result<std::unique_ptr<store::Store>> opened = store::Store::Open(sink.database);
  if (!opened.ok()) {
    report(opened.error());
    return sink;
  }
  sink.store = std::move(*opened);
  sink.warn = std::move(warn);
  return sink;
}

}  // namespace autoretrain::retrain
