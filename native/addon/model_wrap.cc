#include "model_wrap.h"

#include <cstdlib>
#include <cstring>
#include <new>
#include <string>

#include "workers.h"

namespace mcb_addon {

void ModelWrap::FreeDeleter::operator()(uint8_t *p) const { std::free(p); }

Napi::Function ModelWrap::Define(Napi::Env env) {
  return DefineClass(env, "Model",
                     {InstanceMethod<&ModelWrap::Info>("info"), InstanceMethod<&ModelWrap::Run>("run"),
                      InstanceMethod<&ModelWrap::RunAsync>("runAsync"),
                      InstanceMethod<&ModelWrap::RunBatch>("runBatch")});
}

std::vector<uint8_t> bytes_from_js(const Napi::Value &value, const char *what) {
  if (!value.IsTypedArray() || value.As<Napi::TypedArray>().TypedArrayType() != napi_uint8_array) {
    throw Napi::TypeError::New(value.Env(), std::string(what) + " must be a Buffer or Uint8Array");
  }
  auto array = value.As<Napi::Uint8Array>();
  return std::vector<uint8_t>(array.Data(), array.Data() + array.ByteLength());
}

Napi::Error failure_to_js(Napi::Env env, const std::string &context, mcb_status status, const mcb_diag &diag) {
  Napi::Error error = Napi::Error::New(env, context + ": " + describe_failure(status, diag));
  error.Set("code", Napi::String::New(env, mcb_status_name(status)));
  error.Set("detail", Napi::String::New(env, mcb_image_error_name(diag.error)));
  error.Set("index", Napi::Number::New(env, diag.index));
  return error;
}

ModelWrap::ModelWrap(const Napi::CallbackInfo &info) : Napi::ObjectWrap<ModelWrap>(info) {
  Napi::Env env = info.Env();
  std::vector<uint8_t> bytes = bytes_from_js(info[0], "the model image");
  // The runtime reads the image in place and wants it 16-byte aligned; a Buffer need not be.
  image_size_ = bytes.size();
  void *p = std::aligned_alloc(16, (image_size_ + 16) / 16 * 16);
  if (!p) throw Napi::Error::New(env, "out of memory copying the model image");
  image_.reset(static_cast<uint8_t *>(p));
  std::memcpy(image_.get(), bytes.data(), image_size_);
  mcb_diag diag;
  mcb_status st = mcb_model_load(&model_, image_.get(), image_size_, &diag);
  if (st != MCB_OK) throw failure_to_js(env, "model image rejected", st, diag);
}

Napi::Value ModelWrap::Info(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  Napi::Object o = Napi::Object::New(env);
  const mcb_img_header *h = model_.header;
  o.Set("imageBytes", Napi::Number::New(env, (double)h->total_size));
  o.Set("arenaSize", Napi::Number::New(env, h->arena_size));
  o.Set("scratchSize", Napi::Number::New(env, h->scratch_size));
  o.Set("arenaBytes", Napi::Number::New(env, mcb_model_arena_bytes(&model_)));
  o.Set("inputBytes", Napi::Number::New(env, model_.input_bytes));
  o.Set("outputBytes", Napi::Number::New(env, model_.output_bytes));
  o.Set("tensors", Napi::Number::New(env, model_.n_tensors));
  o.Set("ops", Napi::Number::New(env, model_.n_ops));
  o.Set("schedule", Napi::String::New(env, model_.patch ? "patch" : model_.stream ? "stream" : "layer"));
  o.Set("inputStreamed", Napi::Boolean::New(env, mcb_model_input_streamed(&model_) != 0));
  static const char hex[] = "0123456789abcdef";
  std::string hash;
  for (uint8_t b : h->model_hash) { hash += hex[b >> 4]; hash += hex[b & 15]; }
  o.Set("modelHash", Napi::String::New(env, hash));
  return o;
}

RunOptions options_from_js(const Napi::Value &value) {
  RunOptions options;
  if (value.IsUndefined() || value.IsNull()) return options;
  if (!value.IsObject()) throw Napi::TypeError::New(value.Env(), "run options must be an object");
  Napi::Object o = value.As<Napi::Object>();
  options.per_op = o.Get("perOp").ToBoolean();
  options.exact_high_water = o.Get("exactHighWater").ToBoolean();
  return options;
}

static Napi::Buffer<uint8_t> to_buffer(Napi::Env env, const std::vector<uint8_t> &bytes) {
  return Napi::Buffer<uint8_t>::Copy(env, bytes.data(), bytes.size());
}

Napi::Value outcome_to_js(Napi::Env env, RunOutcome &&outcome) {
  if (outcome.status != MCB_OK) throw failure_to_js(env, "inference failed", outcome.status, outcome.diag);
  Napi::Object o = Napi::Object::New(env);
  o.Set("output", to_buffer(env, outcome.output));
  o.Set("arenaHighWater", Napi::Number::New(env, outcome.usage.arena_high_water));
  o.Set("scratchHighWater", Napi::Number::New(env, outcome.usage.scratch_high_water));
  o.Set("guardsIntact", Napi::Boolean::New(env, outcome.usage.guards_intact));
  o.Set("elapsedNs", Napi::Number::New(env, (double)outcome.elapsed_ns));
  o.Set("inputStreamed", Napi::Boolean::New(env, outcome.input_streamed));
  o.Set("inputRegions", Napi::Number::New(env, outcome.input_regions));
  o.Set("inputRegionBytes", Napi::Number::New(env, (double)outcome.input_region_bytes));
  if (!outcome.per_op.empty()) {
    Napi::Array ops = Napi::Array::New(env, outcome.per_op.size());
    for (size_t i = 0; i < outcome.per_op.size(); ++i) {
      const OpOutput &op = outcome.per_op[i];
      Napi::Object entry = Napi::Object::New(env);
      entry.Set("op", Napi::Number::New(env, op.op));
      entry.Set("cycles", Napi::Number::New(env, op.cycles));
      Napi::Array tensors = Napi::Array::New(env, op.tensors.size());
      for (size_t j = 0; j < op.tensors.size(); ++j) {
        Napi::Object t = Napi::Object::New(env);
        t.Set("tensor", Napi::Number::New(env, op.tensors[j].tensor));
        t.Set("graphTensor", Napi::Number::New(env, op.tensors[j].graph_tensor));
        t.Set("data", to_buffer(env, op.tensors[j].data));
        tensors.Set(j, t);
      }
      entry.Set("tensors", tensors);
      ops.Set(i, entry);
    }
    o.Set("perOp", ops);
  }
  return o;
}

Napi::Value ModelWrap::Run(const Napi::CallbackInfo &info) {
  std::vector<uint8_t> input = bytes_from_js(info[0], "the input");
  RunOptions options = options_from_js(info[1]);
  return outcome_to_js(info.Env(), run_model(model_, input.data(), input.size(), options));
}

Napi::Value ModelWrap::RunAsync(const Napi::CallbackInfo &info) {
  std::vector<uint8_t> input = bytes_from_js(info[0], "the input");
  RunOptions options = options_from_js(info[1]);
  auto *worker = new RunWorker(info.Env(), this->Value(), model_, std::move(input), options);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

Napi::Value ModelWrap::RunBatch(const Napi::CallbackInfo &info) {
  Napi::Env env = info.Env();
  if (!info[0].IsArray()) throw Napi::TypeError::New(env, "runBatch(inputs, threads): inputs must be an array of Buffers");
  Napi::Array array = info[0].As<Napi::Array>();
  std::vector<std::vector<uint8_t>> inputs;
  for (uint32_t i = 0; i < array.Length(); ++i) {
    inputs.push_back(bytes_from_js(array.Get(i), ("input " + std::to_string(i)).c_str()));
  }
  uint32_t threads = info[1].IsNumber() ? info[1].As<Napi::Number>().Uint32Value() : 1;
  if (threads < 1) threads = 1;
  RunOptions options = options_from_js(info[2]);
  auto *worker = new BatchWorker(env, this->Value(), model_, std::move(inputs), threads, options);
  Napi::Promise promise = worker->Promise();
  worker->Queue();
  return promise;
}

}  // namespace mcb_addon
