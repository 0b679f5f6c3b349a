# CXTM_PORTABLE: one fully static executable that runs on any x86-64 Linux, glibc 2.28 (RHEL 8)
# included, and needs nothing from the machine but /etc/hosts, /etc/resolv.conf and a CA bundle.
#
# Why static, and why curl is built here: a binary linked dynamically against Debian 12's glibc
# needs GLIBC_2.34 at least (__libc_start_main), and Debian's libcurl.a cannot be linked
# statically (it needs GSSAPI/Kerberos, which Debian ships only as shared libraries, and
# LDAP, SASL, GnuTLS, p11-kit and more behind them). So libcurl is built from Debian's own
# source package (with Debian's security patches) with HTTP and HTTPS only, against the static
# OpenSSL and zlib Debian ships. yaml-cpp and libyaml are Debian's static libraries; fmt is used
# header-only.
# DNS: see cli/portable_runtime.h.

set(CXTM_CURL_SOURCE_DIR "${CMAKE_BINARY_DIR}/curl-src"
    CACHE PATH "curl's Debian source, unpacked with its patches (packaging/fetch-curl-source.sh)")
if(NOT EXISTS "${CXTM_CURL_SOURCE_DIR}/CMakeLists.txt")
  message(STATUS "Fetching curl's Debian source package into ${CXTM_CURL_SOURCE_DIR}")
  execute_process(COMMAND "${PROJECT_SOURCE_DIR}/packaging/fetch-curl-source.sh"
                          "${CXTM_CURL_SOURCE_DIR}" RESULT_VARIABLE fetch_result)
  if(NOT fetch_result EQUAL 0)
    message(FATAL_ERROR "could not fetch curl's source; run packaging/fetch-curl-source.sh "
                        "${CXTM_CURL_SOURCE_DIR} by hand, or set CXTM_CURL_SOURCE_DIR")
  endif()
endif()

set(OPENSSL_USE_STATIC_LIBS TRUE)
find_package(OpenSSL REQUIRED)
find_package(Threads REQUIRED)
find_library(CXTM_ZLIB_STATIC NAMES libz.a REQUIRED)
find_library(CXTM_YAML_CPP_STATIC NAMES libyaml-cpp.a REQUIRED)

include(ExternalProject)
set(curl_prefix "${CMAKE_BINARY_DIR}/curl-static")
set(curl_library "${curl_prefix}/lib/libcurl.a")
ExternalProject_Add(
  curl_static
  SOURCE_DIR "${CXTM_CURL_SOURCE_DIR}"
  BINARY_DIR "${CMAKE_BINARY_DIR}/curl-build"
  INSTALL_DIR "${curl_prefix}"
  DOWNLOAD_COMMAND ""
  UPDATE_COMMAND ""
  CMAKE_ARGS -DCMAKE_INSTALL_PREFIX=<INSTALL_DIR>
             -DCMAKE_INSTALL_LIBDIR=lib
             -DCMAKE_BUILD_TYPE=Release
             -DBUILD_SHARED_LIBS=OFF
             -DBUILD_CURL_EXE=OFF
             -DBUILD_TESTING=OFF
             -DENABLE_MANUAL=OFF
             -DHTTP_ONLY=ON
             -DCURL_USE_OPENSSL=ON
             -DCURL_DISABLE_OPENSSL_AUTO_LOAD_CONFIG=ON
             -DCURL_DISABLE_NETRC=ON
             -DCURL_DISABLE_LDAP=ON
             -DCURL_USE_GSSAPI=OFF
             -DCURL_USE_LIBSSH2=OFF
             -DCURL_USE_LIBPSL=OFF
             -DCURL_BROTLI=OFF
             -DCURL_ZSTD=OFF
             -DUSE_NGHTTP2=OFF
             -DUSE_LIBIDN2=OFF
             -DENABLE_ARES=OFF
             # No CA path compiled in: Debian's would be wrong on RHEL; config/ca_bundle.h
             # names the file on every request.
             -DCURL_CA_BUNDLE=none
             -DCURL_CA_PATH=none
  BUILD_BYPRODUCTS "${curl_library}")

file(MAKE_DIRECTORY "${curl_prefix}/include")
add_library(cxtm_static_curl INTERFACE)
add_dependencies(cxtm_static_curl curl_static)
target_include_directories(cxtm_static_curl INTERFACE "${curl_prefix}/include")
target_compile_definitions(cxtm_static_curl INTERFACE CURL_STATICLIB)
target_link_libraries(cxtm_static_curl INTERFACE "${curl_library}" OpenSSL::SSL OpenSSL::Crypto
                                                 "${CXTM_ZLIB_STATIC}" Threads::Threads)
add_library(CURL::libcurl ALIAS cxtm_static_curl)

find_library(CXTM_LIBYAML_STATIC NAMES libyaml.a REQUIRED)
add_library(cxtm::libyaml STATIC IMPORTED)
set_target_properties(cxtm::libyaml PROPERTIES IMPORTED_LOCATION "${CXTM_LIBYAML_STATIC}")

add_library(yaml-cpp STATIC IMPORTED)
set_target_properties(yaml-cpp PROPERTIES IMPORTED_LOCATION "${CXTM_YAML_CPP_STATIC}")

# Debian ships fmt as a shared library only; its headers compile it in.
add_library(fmt::fmt INTERFACE IMPORTED)
set_target_properties(fmt::fmt PROPERTIES INTERFACE_COMPILE_DEFINITIONS FMT_HEADER_ONLY=1)

add_compile_definitions(CXTM_STATIC_GLIBC)
add_link_options(-static)
