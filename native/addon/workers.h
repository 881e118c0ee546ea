// Off-main-thread runs: RunWorker does one inference, BatchWorker spreads many over a pool of threads, each
// thread with its own arena. Both keep the Model object alive until they settle their promise.
#pragma once
#include <napi.h>

#include <vector>

#include "model_runner.h"

namespace mcb_addon {

class RunWorker : public Napi::AsyncWorker {
 public:
  RunWorker(Napi::Env env, Napi::Object owner, const mcb_model &model, std::vector<uint8_t> input, RunOptions options);
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error &error) override;

 private:
  Napi::ObjectReference owner_;
  Napi::Promise::Deferred deferred_;
  const mcb_model &model_;
  std::vector<uint8_t> input_;
  RunOptions options_;
  RunOutcome outcome_;
};

class BatchWorker : public Napi::AsyncWorker {
 public:
  BatchWorker(Napi::Env env, Napi::Object owner, const mcb_model &model, std::vector<std::vector<uint8_t>> inputs,
              uint32_t threads, RunOptions options);
  Napi::Promise Promise() { return deferred_.Promise(); }

 protected:
  void Execute() override;
  void OnOK() override;
  void OnError(const Napi::Error &error) override;

 private:
  Napi::ObjectReference owner_;
  Napi::Promise::Deferred deferred_;
  const mcb_model &model_;
  std::vector<std::vector<uint8_t>> inputs_;
  uint32_t threads_;
  RunOptions options_;
  std::vector<RunOutcome> outcomes_;
};

}  // namespace mcb_addon
