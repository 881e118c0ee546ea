#include "workers.h"

#include <atomic>
#include <string>
#include <thread>

#include "model_wrap.h"

namespace mcb_addon {

RunWorker::RunWorker(Napi::Env env, Napi::Object owner, const mcb_model &model, std::vector<uint8_t> input,
                     RunOptions options)
    : Napi::AsyncWorker(env), owner_(Napi::Persistent(owner)), deferred_(Napi::Promise::Deferred::New(env)),
      model_(model), input_(std::move(input)), options_(options) {}

void RunWorker::Execute() { outcome_ = run_model(model_, input_.data(), input_.size(), options_); }

void RunWorker::OnOK() {
  Napi::Env env = Env();
  try {
    deferred_.Resolve(outcome_to_js(env, std::move(outcome_)));
  } catch (const Napi::Error &e) {
    deferred_.Reject(e.Value());
  }
}

void RunWorker::OnError(const Napi::Error &error) { deferred_.Reject(error.Value()); }

BatchWorker::BatchWorker(Napi::Env env, Napi::Object owner, const mcb_model &model,
                         std::vector<std::vector<uint8_t>> inputs, uint32_t threads, RunOptions options)
    : Napi::AsyncWorker(env), owner_(Napi::Persistent(owner)), deferred_(Napi::Promise::Deferred::New(env)),
      model_(model), inputs_(std::move(inputs)), threads_(threads), options_(options) {}

void BatchWorker::Execute() {
  outcomes_.resize(inputs_.size());
  std::atomic<size_t> next{0};
  auto work = [this, &next]() {
    for (size_t i = next++; i < inputs_.size(); i = next++) {
      outcomes_[i] = run_model(model_, inputs_[i].data(), inputs_[i].size(), options_);
    }
  };
  size_t n = threads_ < inputs_.size() ? threads_ : inputs_.size();
  std::vector<std::thread> pool;
  for (size_t t = 1; t < n; ++t) pool.emplace_back(work);
  work();  // this worker thread takes part too
  for (auto &thread : pool) thread.join();
}

void BatchWorker::OnOK() {
  Napi::Env env = Env();
  for (size_t i = 0; i < outcomes_.size(); ++i) {
    if (outcomes_[i].status != MCB_OK) {
      deferred_.Reject(failure_to_js(env, "inference failed for input " + std::to_string(i), outcomes_[i].status,
                                     outcomes_[i].diag).Value());
      return;
    }
  }
  Napi::Array results = Napi::Array::New(env, outcomes_.size());
  for (size_t i = 0; i < outcomes_.size(); ++i) results.Set(i, outcome_to_js(env, std::move(outcomes_[i])));
  deferred_.Resolve(results);
}

void BatchWorker::OnError(const Napi::Error &error) { deferred_.Reject(error.Value()); }

}  // namespace mcb_addon
