# Writes OUT: the console's page, ROOT/index.html with its stylesheet and its scripts inlined,
# so that the first page is one response (docs/console.md#the-first-page). Run as
# `cmake -DROOT=<console folder> -DOUT=<file> -P console_page.cmake`.
#
# In index.html, each <link rel="stylesheet" href="F"> becomes <style> with F's text, and the
# <script type="module" src="F"></script> becomes one inline module holding F and every module
# it imports, directly or not, statically or with import(), dependencies first. Each module is
# wrapped in a function that returns its exports, so that each keeps its own top-level names:
#   const module_js_api_js = (() => { ...js/api.js... return { get, post }; })();
# An import becomes a destructuring of that constant, and import("./x.js") a promise of it.
# Modules may use only these forms (anything else stops the build, naming the file):
#   import { a, b as c } from "./relative/path.js";     import("./relative/path.js")
#   export function|async function|const|let|class NAME
# Module and stylesheet texts may not contain "</script", "</style" or "<!--", which would end
# or confuse the inline element.

cmake_policy(VERSION 3.25)

# CMake lists are ';'-separated: the texts' semicolons travel as this byte and come back at the
# end.
string(ASCII 31 kSemicolon)

# The text of ROOT/`path`, with its semicolons replaced, in `out`.
function(read_source path out)
  if(NOT EXISTS ${ROOT}/${path})
    message(FATAL_ERROR "console page: ${path} does not exist")
  endif()
  file(READ ${ROOT}/${path} text)
  string(REPLACE ";" "${kSemicolon}" text "${text}")
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The text of ROOT/`path`, to be inlined in the page, in `out`.
function(read_inlined path out)
  read_source(${path} text)
  foreach(forbidden "</script" "</style" "<!--")
    string(FIND "${text}" "${forbidden}" at)
    if(NOT at EQUAL -1)
      message(FATAL_ERROR "console page: ${path} contains '${forbidden}', which cannot be inlined")
    endif()
  endforeach()
  set(${out} "${text}" PARENT_SCOPE)
endfunction()

# The name of the constant that holds the exports of the module at `path` ("js/api.js").
function(module_constant path out)
  string(MAKE_C_IDENTIFIER "module_${path}" name)
  set(${out} ${name} PARENT_SCOPE)
endfunction()

# `specifier` ("../api.js") as imported by the module at `importer` ("js/pages/x.js"), as a
# path under ROOT ("js/api.js").
function(resolve_import importer specifier out)
  if(NOT specifier MATCHES "^\\.\\.?/")
    message(FATAL_ERROR "console page: ${importer} imports '${specifier}': only relative paths")
  endif()
  cmake_path(GET importer PARENT_PATH folder)
  cmake_path(APPEND folder "${specifier}" OUTPUT_VARIABLE joined)
  cmake_path(NORMAL_PATH joined OUTPUT_VARIABLE resolved)
  set(${out} ${resolved} PARENT_SCOPE)
endfunction()

# Appends the module at `path` to the global property console_modules, after the modules it
# imports (each once).
function(add_module path)
  get_property(done GLOBAL PROPERTY console_done)
  if(path IN_LIST done)
    return()
  endif()
  get_property(visiting GLOBAL PROPERTY console_visiting)
  if(path IN_LIST visiting)
    message(FATAL_ERROR "console page: ${path} is part of an import cycle")
  endif()
  set_property(GLOBAL APPEND PROPERTY console_visiting ${path})
  read_inlined(${path} text)

  string(REGEX MATCHALL "(^|\n)import [^${kSemicolon}]*${kSemicolon}" imports "${text}")
  foreach(statement IN LISTS imports)
    if(NOT statement MATCHES "import {([^}]*)} from \"([^\"]+)\"${kSemicolon}$")
      message(FATAL_ERROR "console page: ${path}: unsupported import form:${statement}")
    endif()
    string(REPLACE " as " ": " names "${CMAKE_MATCH_1}")
    resolve_import(${path} "${CMAKE_MATCH_2}" dependency)
    add_module(${dependency})
    module_constant(${dependency} constant)
    string(REGEX REPLACE "^\n" "" statement "${statement}")
    string(REPLACE "${statement}" "const {${names}} = ${constant}${kSemicolon}" text "${text}")
  endforeach()

  string(REGEX MATCHALL "import\\(\"[^\"]+\"\\)" loads "${text}")
  foreach(load IN LISTS loads)
    string(REGEX REPLACE "^import\\(\"(.*)\"\\)$" "\\1" specifier "${load}")
    resolve_import(${path} "${specifier}" dependency)
    add_module(${dependency})
    module_constant(${dependency} constant)
    string(REPLACE "${load}" "Promise.resolve(${constant})" text "${text}")
  endforeach()

  set(exported "")
  string(REGEX MATCHALL "(^|\n)export [^\n]*" exports "${text}")
  foreach(line IN LISTS exports)
    if(NOT line MATCHES "^\n?export (async function|function|const|let|class) ([A-Za-z_$][A-Za-z0-9_$]*)")
      message(FATAL_ERROR "console page: ${path}: unsupported export form:${line}")
    endif()
    list(APPEND exported ${CMAKE_MATCH_2})
  endforeach()
  string(REGEX REPLACE "(^|\n)export " "\\1" text "${text}")
  string(REPLACE ";" ", " exported "${exported}")

  module_constant(${path} constant)
  set_property(GLOBAL APPEND_STRING PROPERTY console_modules
    "// ${path}\nconst ${constant} = (() => {\n${text}\nreturn { ${exported} }${kSemicolon}\n})()${kSemicolon}\n")
  set_property(GLOBAL APPEND PROPERTY console_done ${path})
endfunction()

read_source(index.html page)

string(REGEX MATCHALL "<link rel=\"stylesheet\" href=\"[^\"]+\">" links "${page}")
foreach(link IN LISTS links)
  string(REGEX REPLACE ".*href=\"([^\"]+)\".*" "\\1" path "${link}")
  read_inlined(${path} css)
  string(REPLACE "${link}" "<style>\n${css}</style>" page "${page}")
endforeach()

# One module script: two would each hold their own copy of the modules they share.
string(REGEX MATCHALL "<script type=\"module\" src=\"[^\"]+\"></script>" scripts "${page}")
list(LENGTH scripts count)
if(NOT count EQUAL 1)
  message(FATAL_ERROR "console page: index.html has ${count} module scripts, not one")
endif()
foreach(script IN LISTS scripts)
  string(REGEX REPLACE ".*src=\"([^\"]+)\".*" "\\1" path "${script}")
  set_property(GLOBAL PROPERTY console_modules "")
  add_module(${path})
  get_property(modules GLOBAL PROPERTY console_modules)
  string(REPLACE "${script}" "<script type=\"module\">\n${modules}</script>" page "${page}")
endforeach()

string(REPLACE "${kSemicolon}" ";" page "${page}")
# Rewritten only when it changed, so that an unchanged page compiles nothing again.
if(EXISTS ${OUT})
  file(READ ${OUT} written)
endif()
if(NOT page STREQUAL written)
  file(WRITE ${OUT} "${page}")
endif()
