# CPack: the Debian package of gamelightd (`cpack -G DEB` in the build tree, or
# the `package` target). scripts/package.sh configures a Release tree with
# CMAKE_INSTALL_PREFIX=/usr and runs it; the package then holds
#   /usr/bin/gamelightd, /etc/gamelight/gamelight.{ini,env} (conffiles),
#   /usr/lib/systemd/system/gamelight.service, /usr/share/doc/gamelight/README.md.
set(GAMELIGHT_PACKAGE_MAINTAINER "gamelight maintainers <maintainers@gamelight.invalid>"
  CACHE STRING "Maintainer field of the .deb")

set(CPACK_GENERATOR DEB)
set(CPACK_PACKAGE_NAME gamelight)
set(CPACK_PACKAGE_VERSION "${PROJECT_VERSION}")
set(CPACK_PACKAGE_CONTACT "${GAMELIGHT_PACKAGE_MAINTAINER}")
set(CPACK_PACKAGE_DESCRIPTION_SUMMARY "game events to WLED light effects")
set(CPACK_PACKAGE_DESCRIPTION
  "gamelightd receives game state from Counter-Strike 2 and Dota 2 (Game State\n"
  "Integration) or any program that posts JSON, detects events (bomb planted,\n"
  "kill, low health, ...) and plays the mapped effect on WLED LED strips over\n"
  "UDP (DDP, DNRGB, E1.31). Configuration lives in SQLite behind a REST API.\n"
  "The package ships a hardened systemd unit (gamelight.service).")
# CPack joins the list above with ';'.
string(REPLACE ";" "" CPACK_PACKAGE_DESCRIPTION "${CPACK_PACKAGE_DESCRIPTION}")
set(CPACK_STRIP_FILES ON)
set(CPACK_PACKAGING_INSTALL_PREFIX "${CMAKE_INSTALL_PREFIX}")

set(CPACK_DEBIAN_PACKAGE_NAME gamelight)
set(CPACK_DEBIAN_FILE_NAME DEB-DEFAULT)
set(CPACK_DEBIAN_PACKAGE_SECTION net)
set(CPACK_DEBIAN_PACKAGE_PRIORITY optional)
# Depends: from the shared libraries gamelightd links (dpkg-shlibdeps, dpkg-dev).
set(CPACK_DEBIAN_PACKAGE_SHLIBDEPS ON)

set(GAMELIGHT_FULL_SYSCONFDIR "${CMAKE_INSTALL_FULL_SYSCONFDIR}")
configure_file("${CMAKE_CURRENT_LIST_DIR}/debian/conffiles.in"
  "${CMAKE_CURRENT_BINARY_DIR}/packaging/debian/conffiles" @ONLY)
set(CPACK_DEBIAN_PACKAGE_CONTROL_EXTRA
  "${CMAKE_CURRENT_BINARY_DIR}/packaging/debian/conffiles"
  "${CMAKE_CURRENT_LIST_DIR}/debian/postinst"
  "${CMAKE_CURRENT_LIST_DIR}/debian/prerm"
  "${CMAKE_CURRENT_LIST_DIR}/debian/postrm")
# 0644 for conffiles, 0755 for the scripts, whatever the checkout's modes.
set(CPACK_DEBIAN_PACKAGE_CONTROL_STRICT_PERMISSION ON)

set(CPACK_SOURCE_GENERATOR TGZ)
set(CPACK_SOURCE_IGNORE_FILES "/\\\\.git/" "/build/" "/\\\\.cache/")

include(CPack)
