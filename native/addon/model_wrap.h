// The JS `Model` class: owns an aligned copy of the image and the loaded mcb_model that points into it.
#pragma once
#include <napi.h>

#include <cstdint>
#include <memory>

#include "mcb/runtime.h"
#include "model_runner.h"

namespace mcb_addon {

class ModelWrap : public Napi::ObjectWrap<ModelWrap> {
 public:
  static Napi::Function Define(Napi::Env env);
  explicit ModelWrap(const Napi::CallbackInfo &info);
  const mcb_model &model() const { return model_; }

 private:
  Napi::Value Info(const Napi::CallbackInfo &info);
  Napi::Value Run(const Napi::CallbackInfo &info);
  Napi::Value RunAsync(const Napi::CallbackInfo &info);
  Napi::Value RunBatch(const Napi::CallbackInfo &info);

  struct FreeDeleter { void operator()(uint8_t *p) const; };
  std::unique_ptr<uint8_t, FreeDeleter> image_;
  size_t image_size_ = 0;
  mcb_model model_{};
};

// Shared by the sync path and the workers.
Napi::Value outcome_to_js(Napi::Env env, RunOutcome &&outcome);
Napi::Error failure_to_js(Napi::Env env, const std::string &context, mcb_status status, const mcb_diag &diag);
RunOptions options_from_js(const Napi::Value &value);
// Copies a Buffer/Uint8Array argument; throws a TypeError naming `what` otherwise.
std::vector<uint8_t> bytes_from_js(const Napi::Value &value, const char *what);

}  // namespace mcb_addon
