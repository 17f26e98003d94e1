# Finds the Check unit test framework and defines the target Check::check.
# Order: a CMake package (vcpkg, MSYS2), pkg-config (Debian), then a plain
# search (the MinGW build the set-up script makes, CHECK_ROOT to point at one).
find_package(check CONFIG QUIET)
if(TARGET Check::check)
  set(Check_FOUND TRUE)
  return()
endif()

if(NOT CMAKE_CROSSCOMPILING)
  find_package(PkgConfig QUIET)
  if(PKG_CONFIG_FOUND)
    pkg_check_modules(PC_CHECK QUIET IMPORTED_TARGET check)
    if(PC_CHECK_FOUND)
      add_library(Check::check INTERFACE IMPORTED)
      target_link_libraries(Check::check INTERFACE PkgConfig::PC_CHECK)
      set(Check_FOUND TRUE)
      return()
    endif()
  endif()
endif()

find_path(CHECK_INCLUDE_DIR check.h HINTS ${CHECK_ROOT} PATH_SUFFIXES include)
find_library(CHECK_LIBRARY NAMES libcheck.a check HINTS ${CHECK_ROOT} PATH_SUFFIXES lib)
include(FindPackageHandleStandardArgs)
find_package_handle_standard_args(Check REQUIRED_VARS CHECK_LIBRARY CHECK_INCLUDE_DIR)
if(Check_FOUND AND NOT TARGET Check::check)
  add_library(Check::check UNKNOWN IMPORTED)
  set_target_properties(Check::check PROPERTIES
    IMPORTED_LOCATION "${CHECK_LIBRARY}"
    INTERFACE_INCLUDE_DIRECTORIES "${CHECK_INCLUDE_DIR}")
  if(MINGW)
    # The static Check needs winpthreads.
    set_property(TARGET Check::check APPEND PROPERTY INTERFACE_LINK_LIBRARIES pthread)
  endif()
endif()
