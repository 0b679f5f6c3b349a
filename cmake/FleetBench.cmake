# bench/bench_fleet (issue 17) runs against the API server double, so it is built with the tests,
# and its small run is a ctest test wherever the tests are built (the sanitize preset, which CI
# runs, leaves bench/ off): the benchmark cannot rot. Figures only; a failed command fails it.
function(cxtm_add_fleet_bench)
  add_executable(bench_fleet "${PROJECT_SOURCE_DIR}/bench/bench_fleet.cpp")
  target_link_libraries(bench_fleet PRIVATE cxtm cxtm-test-doubles)
  target_include_directories(bench_fleet PRIVATE "${PROJECT_SOURCE_DIR}/test")
  target_compile_definitions(bench_fleet PRIVATE CXTM_SOURCE_DIR="${PROJECT_SOURCE_DIR}"
                                                 CXTM_BINARY="$<TARGET_FILE:cxtm-o11y>")
  add_dependencies(bench_fleet cxtm-o11y)
  set_target_properties(bench_fleet PROPERTIES RUNTIME_OUTPUT_DIRECTORY "${PROJECT_BINARY_DIR}/bench")
  add_test(NAME bench-fleet-small COMMAND bench_fleet --sizes 1,3 --runs 1 --poc 2 --latency-ms 2
                                          --rollout-s 0.5 --startup-runs 3 --check)
endfunction()
