cmake_minimum_required(VERSION 3.20)
# Run after a doctest binary is built (cmake -P): writes into OUTPUT the ctest entries of its
# cases, which ctest includes (TEST_INCLUDE_FILES). doctest's own doctest_discover_tests makes one
# entry, so one process, per case; here:
#  - "integration" cases (in the suites INTEGRATION_SUITES names: doctest wildcards, comma
#    separated) get one entry each, named as the case: they wait on kubectl, python3 and the
#    doubles, and run side by side. Those also in IN_PROCESS_SUITES are labelled "in-process"
#    too: the code they test runs in the test binary, so they are worth running under the
#    sanitizers with the unit tests;
#  - "unit" cases get one entry per suite, "suite <name>": each is quick, and a process of the
#    sanitizers' test binary costs 0.15 s of CPU to start and end, more than most unit cases.
# Every entry requires the fixtures FIXTURES (comma separated) and starts, costliest first, at
# the COST the file COSTS gives it (optional: "<seconds> <test name>" lines of a recorded run;
# ctest's own record, CTestCostData.txt, cannot hold names with spaces).
foreach(variable TEST_EXECUTABLE WORKING_DIRECTORY INTEGRATION_SUITES IN_PROCESS_SUITES FIXTURES
                 OUTPUT)
  if(NOT DEFINED ${variable})
    message(FATAL_ERROR "DoctestTests.cmake needs -D${variable}=...")
  endif()
endforeach()

# The cases the filter selects, as the list "<suite>\n<case>" per case, from doctest's XML listing.
function(list_test_cases result)
  execute_process(COMMAND "${TEST_EXECUTABLE}" --list-test-cases --reporters=xml ${ARGN}
                  OUTPUT_VARIABLE output RESULT_VARIABLE status)
  if(NOT status EQUAL 0)
    message(FATAL_ERROR "${TEST_EXECUTABLE} --list-test-cases failed: ${status}")
  endif()
  string(REPLACE "\n" ";" lines "${output}")
  set(cases "")
  foreach(line IN LISTS lines)
    if(NOT line MATCHES "<TestCase name=\"([^\"]*)\" testsuite=\"([^\"]*)\"")
      continue()
    endif()
    set(pair "${CMAKE_MATCH_2}\n${CMAKE_MATCH_1}")
    string(REPLACE "&lt;" "<" pair "${pair}")
    string(REPLACE "&gt;" ">" pair "${pair}")
    string(REPLACE "&quot;" "\"" pair "${pair}")
    string(REPLACE "&apos;" "'" pair "${pair}")
    string(REPLACE "&amp;" "&" pair "${pair}")
    list(APPEND cases "${pair}")
  endforeach()
  set(${result} "${cases}" PARENT_SCOPE)
endfunction()

if(DEFINED COSTS AND EXISTS "${COSTS}")
  file(STRINGS "${COSTS}" cost_lines)
  foreach(line IN LISTS cost_lines)
    if(line MATCHES "^([0-9.]+) (.+)$")
      string(MD5 key "${CMAKE_MATCH_2}")
      set(cost_${key} "${CMAKE_MATCH_1}")
    endif()
  endforeach()
endif()

string(REPLACE "," ";" fixtures "${FIXTURES}")
set(script "")
# One ctest entry: its name, labels and doctest filter (an argument of the test binary).
function(add_entry name labels filter)
  if(name MATCHES "]==]" OR filter MATCHES "]==]")
    message(FATAL_ERROR "test case or suite '${name}': ']==]' cannot be in a ctest name")
  endif()
  string(MD5 key "${name}")
  set(cost "")
  if(DEFINED cost_${key})
    set(cost " COST ${cost_${key}}")
  endif()
  string(APPEND script
         "add_test([==[${name}]==] [==[${TEST_EXECUTABLE}]==] [==[${filter}]==])\n"
         "set_tests_properties([==[${name}]==] PROPERTIES WORKING_DIRECTORY "
         "[==[${WORKING_DIRECTORY}]==] FIXTURES_REQUIRED \"${fixtures}\" "
         "LABELS \"${labels}\"${cost})\n")
  set(script "${script}" PARENT_SCOPE)
endfunction()

list_test_cases(all)
list_test_cases(integration "--test-suite=${INTEGRATION_SUITES}")
list_test_cases(in_process "--test-suite=${IN_PROCESS_SUITES}")
set(unit_suites "")
foreach(pair IN LISTS all)
  string(REGEX MATCH "^([^\n]*)\n(.*)$" parts "${pair}")
  set(suite "${CMAKE_MATCH_1}")
  set(name "${CMAKE_MATCH_2}")
  if(NOT pair IN_LIST integration)
    list(APPEND unit_suites "${suite}")
    continue()
  endif()
  set(labels integration)
  if(pair IN_LIST in_process)
    set(labels "integration;in-process")
  endif()
  # doctest reads a comma as the end of one filter: escaped, as doctest_discover_tests does.
  string(REPLACE "," "\\," escaped "${name}")
  add_entry("${name}" "${labels}" "--test-case=${escaped}")
endforeach()
list(REMOVE_DUPLICATES unit_suites)
foreach(suite IN LISTS unit_suites)
  if(suite MATCHES "[*?]" OR suite STREQUAL "")
    message(FATAL_ERROR "test suite '${suite}': its unit cases need a suite name without * or ? "
                        "(one ctest entry runs each suite by name)")
  endif()
  string(REPLACE "," "\\," escaped "${suite}")
  add_entry("suite ${suite}" unit "--test-suite=${escaped}")
endforeach()
file(WRITE "${OUTPUT}" "${script}")
