# CMake toolchain file for bare-metal Cortex-M with the GNU Arm Embedded toolchain (arm-none-eabi-gcc + newlib).
# CPU and FPU flags are not set here: they come from the board JSON (see board-config.cmake).
set(CMAKE_SYSTEM_NAME Generic)
set(CMAKE_SYSTEM_PROCESSOR arm)
set(CMAKE_C_COMPILER arm-none-eabi-gcc)
set(CMAKE_ASM_COMPILER arm-none-eabi-gcc)
set(CMAKE_OBJCOPY arm-none-eabi-objcopy CACHE FILEPATH "objcopy for the .bin image")
set(CMAKE_SIZE arm-none-eabi-size CACHE FILEPATH "size for the section report")
# There is no OS to run a test executable on: let CMake's compiler checks build a static library instead.
set(CMAKE_TRY_COMPILE_TARGET_TYPE STATIC_LIBRARY)
set(CMAKE_FIND_ROOT_PATH_MODE_PROGRAM NEVER)
set(CMAKE_FIND_ROOT_PATH_MODE_LIBRARY ONLY)
set(CMAKE_FIND_ROOT_PATH_MODE_INCLUDE ONLY)
