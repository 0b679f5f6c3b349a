cmake_minimum_required(VERSION 3.20)
# Run after the test binary is built (cmake -P): labels each of its test cases for ctest,
# "integration" for those in the suites INTEGRATION_SUITES names (doctest's wildcards, comma
# separated) and "unit" for the rest, into OUTPUT, which ctest includes after doctest's own list.
# Integration cases also in IN_PROCESS_SUITES get "in-process" too: the code they test runs in
# the test binary, so they are worth running under the sanitizers with the unit tests.
foreach(variable TEST_EXECUTABLE INTEGRATION_SUITES IN_PROCESS_SUITES OUTPUT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "DoctestLabels.cmake needs -D${variable}=...")
  endif()
endforeach()

function(list_test_cases result)
  execute_process(COMMAND "${TEST_EXECUTABLE}" --list-test-cases ${ARGN}
                  OUTPUT_VARIABLE output RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${TEST_EXECUTABLE} --list-test-cases failed: ${status}")
  endif()
  string(REPLACE "\n" ";" lines "${output}")
  set(names "")
  foreach(line IN LISTS lines)
    if(line STREQUAL "" OR line MATCHES "^\\[doctest\\] " OR line MATCHES "^=+$")
      continue()
    endif()
    list(APPEND names "${line}")
  endforeach()
  set(${result} "${names}" PARENT_SCOPE)
endfunction()

# COSTS (optional): a file of "<seconds> <test name>" lines, the cases' times in a recorded run.
# ctest starts the costliest first; its own record (CTestCostData.txt) cannot hold these names,
# which have spaces, so without this the slowest matrices start wherever their number puts them.
if(DEFINED COSTS AND EXISTS "${COSTS}")
  file(STRINGS "${COSTS}" cost_lines)
  foreach(line IN LISTS cost_lines)
    if(line MATCHES "^([0-9.]+) (.+)$")
      string(MD5 key "${CMAKE_MATCH_2}")
      set(cost_${key} "${CMAKE_MATCH_1}")
    endif()
  endforeach()
endif()

list_test_cases(all)
list_test_cases(integration "--test-suite=${INTEGRATION_SUITES}")
list_test_cases(in_process "--test-suite=${IN_PROCESS_SUITES}")
set(script "")
foreach(name IN LISTS all)
  if(name IN_LIST integration AND name IN_LIST in_process)
    set(label "integration;in-process")
  elseif(name IN_LIST integration)
    set(label integration)
  else()
    set(label unit)
  endif()
  string(MD5 key "${name}")
  set(cost "")
  if(DEFINED cost_${key})
    set(cost " COST ${cost_${key}}")
  endif()
  string(APPEND script "set_tests_properties([==[${name}]==] PROPERTIES LABELS \"${label}\"${cost})\n")
endforeach()
file(WRITE "${OUTPUT}" "${script}")
