{
  "targets": [
    {
      "target_name": "mcubench_native",
      "sources": ["<!@(node native/addon-sources.js --gyp)"],
      "include_dirs": [
        "<!(node -p \"require('node-addon-api').include_dir\")",
        "native/runtime/include"
      ],
      "defines": ["NAPI_VERSION=8", "NAPI_CPP_EXCEPTIONS"],
      "cflags_c": ["-std=c99"],
      "cflags_cc": ["-std=c++17", "-fexceptions"],
      "cflags!": ["-fno-exceptions"],
      "cflags_cc!": ["-fno-exceptions"],
      "libraries": ["-lm", "-lpthread"]
    }
  ]
}
