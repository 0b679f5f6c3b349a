# Turns the shipped data files (templates/, package pins, dashboards) into a generated C++ source,
# so the single binary works without the source tree. The files stay the source of truth.
function(cxtm_embed_files target)
  cmake_parse_arguments(ARG "" "BASE_DIR;NAMESPACE" "FILES" ${ARGN})
  set(out "${CMAKE_CURRENT_BINARY_DIR}/${target}_embedded.cpp")
  set(abs_files "")
  foreach(file IN LISTS ARG_FILES)
    list(APPEND abs_files "${ARG_BASE_DIR}/${file}")
  endforeach()
  add_custom_command(
    OUTPUT "${out}"
    COMMAND ${CMAKE_COMMAND} -DOUT=${out} -DBASE_DIR=${ARG_BASE_DIR} "-DFILES=${ARG_FILES}"
            -P "${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake"
    DEPENDS ${abs_files} "${PROJECT_SOURCE_DIR}/cmake/embed_files_script.cmake"
    COMMENT "Embedding ${target} data files"
    VERBATIM)
  target_sources(${target} PRIVATE "${out}")
endfunction()
