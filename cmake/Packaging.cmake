# `cpack` in a build directory: an RPM and a .deb of what `cmake --install` installs (the
# binary, the kubectl plugin link, the man page, bash and zsh completion). Built from the
# portable preset they depend on no library at all and install on RHEL 8 as on Debian.
set(CPACK_PACKAGE_NAME "cxtm-o11y")
set(CPACK_PACKAGE_VENDOR "CXTM")
set(CPACK_PACKAGE_CONTACT "CXTM observability <cxtm-o11y@example.com>")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY
    "Bring Python services on Kubernetes into Splunk Observability Cloud")
set(CPACK_PACKAGE_DESCRIPTION
    "cxtm-o11y renders and deploys the OpenTelemetry Collector for Splunk Observability Cloud, "
    "instruments Python Deployments without code changes, validates that traces arrive and "
    "rolls back exactly. Also installed as the kubectl plugin kubectl-cxtm_o11y.")
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGING_INSTALL_PREFIX "/usr")
set(CPACK_STRIP_FILES ON)
set(CPACK_GENERATOR "")
find_program(CXTM_DPKG_DEB dpkg-deb)
find_program(CXTM_RPMBUILD rpmbuild)
if(CXTM_DPKG_DEB)
  list(APPEND CPACK_GENERATOR DEB)
endif()
if(CXTM_RPMBUILD)
  list(APPEND CPACK_GENERATOR RPM)
endif()

set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION admin)
set(CPACK_DEBIAN_PACKAGE_RECOMMENDS "kubectl | kubernetes-client")
set(CPACK_RPM_FILE_NAME RPM-DEFAULT)
set(CPACK_RPM_PACKAGE_LICENSE "Proprietary")
set(CPACK_RPM_PACKAGE_GROUP "Applications/System")
set(CPACK_RPM_PACKAGE_URL "https://example.com/cxtm-o11y")
# Directories that bash-completion, zsh and the base system own; the package only adds files.
set(CPACK_RPM_EXCLUDE_FROM_AUTO_FILELIST_ADDITION
    /usr/share/bash-completion /usr/share/bash-completion/completions /usr/share/zsh
    /usr/share/zsh/site-functions /usr/share/man /usr/share/man/man1)
# No /usr/lib/.build-id links: they would clash with nothing, but say nothing either.
set(CPACK_RPM_SPEC_MORE_DEFINE "%define _build_id_links none")
if(CXTM_PORTABLE)
  # Static: nothing to depend on (rpmbuild would find nothing either; say it outright).
  set(CPACK_RPM_PACKAGE_AUTOREQ OFF)
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS OFF)
else()
  set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)
endif()
include(CPack)
