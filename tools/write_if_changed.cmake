# write_if_changed(PATH TEXT): writes TEXT to PATH only when it differs from what is there, so an
# unchanged generated source does not force a rebuild. Shared by the build-time generators.
function(write_if_changed path text)
  set(old "")
  if(EXISTS ${path})
    file(READ ${path} old)
  endif()
  if(NOT "${old}" STREQUAL "${text}")
    file(WRITE ${path} "${text}")
  endif()
endfunction()
