# Script mode: runs PROGRAM to write its man page (gzipped) and completion scripts into OUT_DIR.
file(MAKE_DIRECTORY "${OUT_DIR}")
execute_process(COMMAND "${PROGRAM}" man OUTPUT_FILE "${OUT_DIR}/cxtm-o11y.1"
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND gzip -9 -n -f "${OUT_DIR}/cxtm-o11y.1" COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${PROGRAM}" completion bash OUTPUT_FILE "${OUT_DIR}/cxtm-o11y.bash"
                COMMAND_ERROR_IS_FATAL ANY)
execute_process(COMMAND "${PROGRAM}" completion zsh OUTPUT_FILE "${OUT_DIR}/_cxtm-o11y"
                COMMAND_ERROR_IS_FATAL ANY)
