// Module entry of the host addon: exports the Model class and the image format version it reads.
#include <napi.h>

#include "mcb/image_ids.h"
#include "model_wrap.h"

namespace {

Napi::Object Init(Napi::Env env, Napi::Object exports) {
  exports.Set("Model", mcb_addon::ModelWrap::Define(env));
  exports.Set("imageVersion", Napi::Number::New(env, MCB_IMAGE_VERSION));
  return exports;
}

}  // namespace

NODE_API_MODULE(mcubench_native, Init)
