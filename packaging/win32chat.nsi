; win32chat.nsi: the Windows installer of Win32 Chat (NSIS 3, makensis on
; Linux). scripts/package runs it with:
;   VERSION  the CMake project version, X.Y.Z
;   STAGE    the folder of files to install (the portable zip's, but for
;            its portable.txt)
;   ICON     resources/chat_client.ico
;   OUTFILE  build/win32chat-VERSION-win64-setup.exe
;
; What a user gets: a per-user install (no administrator rights) under
; %LOCALAPPDATA%\Programs\Win32 Chat, Start menu shortcuts for the client,
; the server and the uninstaller, an optional desktop shortcut, and an entry
; in Add/Remove Programs. Installing again (the same or another version)
; replaces the programs in the folder of the first install and keeps one
; entry. The user's settings (%APPDATA%\ChatClient) are never touched by an
; install, and by the uninstaller only when asked.
;
; Command line, as NSIS installers have it:
;   setup.exe /S [/DESKTOP] [/D=C:\some folder]   silent; /D= last, unquoted
;   uninstall.exe /S [/REMOVESETTINGS]

!ifndef VERSION | STAGE | ICON | OUTFILE
  !error "run through scripts/package (VERSION, STAGE, ICON and OUTFILE are needed)"
!endif

Unicode true
Target amd64-unicode
ManifestDPIAware true
SetCompressor /SOLID lzma
RequestExecutionLevel user

!define PRODUCT "Win32 Chat"
!define PUBLISHER "The Win32 Chat authors"
!define UNINST_KEY "Software\Microsoft\Windows\CurrentVersion\Uninstall\Win32Chat"
!define SETTINGS_DIR "$APPDATA\ChatClient"

Name "${PRODUCT} ${VERSION}"
OutFile "${OUTFILE}"
InstallDir "$LOCALAPPDATA\Programs\${PRODUCT}"
; An earlier install's folder wins: an upgrade goes where the last one went.
InstallDirRegKey HKCU "${UNINST_KEY}" "InstallLocation"
BrandingText "${PRODUCT} ${VERSION}"
ShowInstDetails show
ShowUninstDetails show

VIProductVersion "${VERSION}.0"
VIFileVersion "${VERSION}.0"
VIAddVersionKey /LANG=1033 "ProductName" "${PRODUCT}"
VIAddVersionKey /LANG=1033 "ProductVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileVersion" "${VERSION}"
VIAddVersionKey /LANG=1033 "FileDescription" "${PRODUCT} ${VERSION} setup"
VIAddVersionKey /LANG=1033 "CompanyName" "${PUBLISHER}"
VIAddVersionKey /LANG=1033 "LegalCopyright" "MIT License (LICENSE.txt)"

!include "MUI2.nsh"
!include "FileFunc.nsh"
!include "LogicLib.nsh"
!include "Sections.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_WELCOMEPAGE_TEXT "This installs Win32 Chat ${VERSION}, a small chat client and server, \
for you alone: no administrator rights are needed.$\r$\n$\r$\n\
If Win32 Chat is already installed, it is upgraded in place and your settings are kept.$\r$\n$\r$\n\
Click Next to continue."
!define MUI_LICENSEPAGE_TEXT_TOP "Win32 Chat is free software under the MIT License:"
!define MUI_LICENSEPAGE_TEXT_BOTTOM "You may use, copy, change and share Win32 Chat under these terms; \
nothing needs to be accepted to use it."
!define MUI_LICENSEPAGE_BUTTON "$(^NextBtn)"
!define MUI_FINISHPAGE_TEXT "Win32 Chat ${VERSION} is installed.$\r$\n$\r$\n\
To host a chat on this computer, start Win32 Chat Server from the Start menu; \
the client connects to it at 127.0.0.1:12345 (File > Connect... for another server)."
!define MUI_FINISHPAGE_RUN "$INSTDIR\chat_client.exe"
!define MUI_FINISHPAGE_RUN_TEXT "Start the Win32 Chat client"

!insertmacro MUI_PAGE_WELCOME
!insertmacro MUI_PAGE_LICENSE "${STAGE}\LICENSE.txt"
!insertmacro MUI_PAGE_COMPONENTS
!insertmacro MUI_PAGE_DIRECTORY
!insertmacro MUI_PAGE_INSTFILES
!insertmacro MUI_PAGE_FINISH

!insertmacro MUI_UNPAGE_CONFIRM
!insertmacro MUI_UNPAGE_COMPONENTS
!insertmacro MUI_UNPAGE_INSTFILES

!insertmacro MUI_LANGUAGE "English"

; The files the installer makes, and so the uninstaller removes: one list.
!macro PROGRAM_FILES how
  !insertmacro ${how} "chat_client.exe"
  !insertmacro ${how} "chat_server.exe"
  !insertmacro ${how} "README.txt"
  !insertmacro ${how} "LICENSE.txt"
!macroend
!macro INSTALL_FILE f
  File "${STAGE}\${f}"
!macroend
!macro REMOVE_FILE f
  Delete "$INSTDIR\${f}"
!macroend

; Replacing or removing a program that runs fails on Windows (its file is
; in use) and would leave a half-made install: first ask for it to be
; closed. A silent install or uninstall exits with code 3 instead, having
; changed nothing.
!macro PROGRAMS_CLOSED un
Function ${un}ProgramsClosed
  ${Do}
    StrCpy $R2 ""
    FindWindow $0 "Win32ChatClient"
    ${If} $0 <> 0
      StrCpy $R2 "The Win32 Chat client"
    ${EndIf}
    ${If} $R2 == ""
      !insertmacro IN_USE "chat_client.exe" "The Win32 Chat client"
    ${EndIf}
    ${If} $R2 == ""
      !insertmacro IN_USE "chat_server.exe" "The Win32 Chat server"
    ${EndIf}
    ${If} $R2 == ""
      ${ExitDo}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
        "$R2 is running. Close it (the server: Ctrl+C in its window), then choose Retry." \
        /SD IDCANCEL IDRETRY retry
    SetErrorLevel 3
    Quit
    retry:
  ${Loop}
FunctionEnd
!macroend
; Sets $R2 to `who` when $INSTDIR\`file` exists and cannot be opened for
; writing (a program that runs, on Windows).
!macro IN_USE file who
  ${If} ${FileExists} "$INSTDIR\${file}"
    ClearErrors
    FileOpen $1 "$INSTDIR\${file}" a
    ${If} ${Errors}
      StrCpy $R2 "${who}"
    ${Else}
      FileClose $1
    ${EndIf}
  ${EndIf}
!macroend
!insertmacro PROGRAMS_CLOSED ""
!insertmacro PROGRAMS_CLOSED "un."

Section "Win32 Chat (client and server)" SecMain
  SectionIn RO
  Call ProgramsClosed
  ; The folders above $INSTDIR this install makes (a /D=C:\new\folder):
  ; named in the entry, CreatedFolder1 the innermost, for the uninstaller.
  StrCpy $R0 "$INSTDIR"
  StrCpy $R1 0
  ${Do}
    ${GetParent} "$R0" $R0
    ${If} $R0 == ""
    ${OrIf} ${FileExists} "$R0\*.*"
      ${ExitDo}
    ${EndIf}
    IntOp $R1 $R1 + 1
    WriteRegStr HKCU "${UNINST_KEY}" "CreatedFolder$R1" "$R0"
  ${Loop}
  SetOutPath "$INSTDIR"
  !insertmacro PROGRAM_FILES INSTALL_FILE
  WriteUninstaller "$INSTDIR\uninstall.exe"

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Win32 Chat.lnk" "$INSTDIR\chat_client.exe" "" \
      "$INSTDIR\chat_client.exe" 0 SW_SHOWNORMAL "" "Chat with the people on a Win32 Chat server"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Win32 Chat Server.lnk" "$INSTDIR\chat_server.exe" "" \
      "$INSTDIR\chat_client.exe" 0 SW_SHOWNORMAL "" "Run a chat server on this computer (port 12345)"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Uninstall Win32 Chat.lnk" "$INSTDIR\uninstall.exe"

  ; Add/Remove Programs: one key, whatever version was there before.
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayName" "${PRODUCT}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayVersion" "${VERSION}"
  WriteRegStr HKCU "${UNINST_KEY}" "Publisher" "${PUBLISHER}"
  WriteRegStr HKCU "${UNINST_KEY}" "DisplayIcon" "$INSTDIR\chat_client.exe,0"
  WriteRegStr HKCU "${UNINST_KEY}" "InstallLocation" "$INSTDIR"
  WriteRegStr HKCU "${UNINST_KEY}" "UninstallString" '"$INSTDIR\uninstall.exe"'
  WriteRegStr HKCU "${UNINST_KEY}" "QuietUninstallString" '"$INSTDIR\uninstall.exe" /S'
  WriteRegStr HKCU "${UNINST_KEY}" "Comments" "Free software under the MIT License"
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoModify" 1
  WriteRegDWORD HKCU "${UNINST_KEY}" "NoRepair" 1
  ${GetSize} "$INSTDIR" "/S=0K" $0 $1 $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\Win32 Chat.lnk" "$INSTDIR\chat_client.exe"
SectionEnd

Function .onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/DESKTOP" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${SecDesktop}
  ${EndIf}
FunctionEnd

; --- the uninstaller -------------------------------------------------------

Section "un.Win32 Chat (client and server)" UnSecMain
  SectionIn RO
  Call un.ProgramsClosed
  !insertmacro PROGRAM_FILES REMOVE_FILE
  Delete "$INSTDIR\uninstall.exe"
  ; Only when empty: a portable chat_client.ini or a user's own file stays.
  RMDir "$INSTDIR"

  Delete "$SMPROGRAMS\${PRODUCT}\Win32 Chat.lnk"
  Delete "$SMPROGRAMS\${PRODUCT}\Win32 Chat Server.lnk"
  Delete "$SMPROGRAMS\${PRODUCT}\Uninstall Win32 Chat.lnk"
  RMDir "$SMPROGRAMS\${PRODUCT}"
  Delete "$DESKTOP\Win32 Chat.lnk"

  ; The folders the install made above $INSTDIR, innermost first, each only
  ; when empty.
  StrCpy $R1 1
  ${Do}
    ReadRegStr $R0 HKCU "${UNINST_KEY}" "CreatedFolder$R1"
    ${If} $R0 == ""
      ${ExitDo}
    ${EndIf}
    RMDir "$R0"
    IntOp $R1 $R1 + 1
  ${Loop}

  DeleteRegKey HKCU "${UNINST_KEY}"
  ; The Uninstall key itself when ours was the only entry (a fresh profile).
  DeleteRegKey /ifempty HKCU "Software\Microsoft\Windows\CurrentVersion\Uninstall"
SectionEnd

Section /o "un.My settings (name, server, window, font)" UnSecSettings
  Delete "${SETTINGS_DIR}\chat_client.ini"
  RMDir "${SETTINGS_DIR}"
SectionEnd

Function un.onInit
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVESETTINGS" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecSettings}
  ${EndIf}
FunctionEnd
