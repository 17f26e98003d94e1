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
; A file that cannot be written stops the install (Retry/Cancel; silently,
; exit code 2) instead of being skipped into a half-made install.
AllowSkipFiles off

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
!include "WordFunc.nsh"

!define MUI_ICON "${ICON}"
!define MUI_UNICON "${ICON}"
!define MUI_ABORTWARNING
!define MUI_COMPONENTSPAGE_NODESC
!define MUI_WELCOMEPAGE_TEXT "This installs Win32 Chat ${VERSION}, a small chat client and server, \
for you alone: no administrator rights are needed.$\r$\n$\r$\n\
If Win32 Chat is already installed, it is upgraded in place and your settings are kept.$\r$\n$\r$\n\
Click Next to continue."
!define MUI_PAGE_HEADER_TEXT "License"
!define MUI_PAGE_HEADER_SUBTEXT "Win32 Chat is free software."
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
!define MUI_PAGE_CUSTOMFUNCTION_LEAVE DirectoryLeave
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

; Replacing or removing a program that runs fails (its file is in use:
; Windows, and Wine, refuse to open it for writing) and would leave a
; half-made install: first ask for it to be closed. A silent install or
; uninstall exits with code 3 instead, having changed nothing. Only the
; files in $INSTDIR count: a portable copy running elsewhere is no matter.
!macro PROGRAMS_CLOSED un
Function ${un}ProgramsClosed
  ${Do}
    StrCpy $R2 ""
    !insertmacro IN_USE "chat_client.exe" "The Win32 Chat client"
    ${If} $R2 == ""
      !insertmacro IN_USE "chat_server.exe" "The Win32 Chat server"
    ${EndIf}
    ${If} $R2 == ""
      ${ExitDo}
    ${EndIf}
    MessageBox MB_RETRYCANCEL|MB_ICONEXCLAMATION \
        "$R2 in $INSTDIR is in use. Close it (the server: Ctrl+C in its window), then choose Retry." \
        /SD IDCANCEL IDRETRY retry
    SetErrorLevel 3
    Quit
    retry:
  ${Loop}
FunctionEnd
!macroend
; Sets $R2 to `who` when $INSTDIR\`file` exists and cannot be opened for
; writing.
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

Var OldCreated ; folders lists, "innermost|outer|"
Var NewCreated
Var Folders

; $R0 = the first folder of $Folders, which loses it ("" when empty).
Function PopFolder
  StrCpy $R8 0
  ${Do}
    StrCpy $R9 $Folders 1 $R8
    ${If} $R9 == "|"
    ${OrIf} $R9 == ""
      ${ExitDo}
    ${EndIf}
    IntOp $R8 $R8 + 1
  ${Loop}
  StrCpy $R0 $Folders $R8
  IntOp $R8 $R8 + 1
  StrCpy $Folders $Folders "" $R8
FunctionEnd

; `var` as Windows spells the same folder: no "..", "." or "\\" (which
; NSIS keeps from a /D= or a typed folder, and which the entry's
; InstallLocation must not differ from the uninstaller's own folder by).
; (Kernel32's GetFullPathNameW, through the System plug-in: NSIS's own
; GetFullPathName wants the folder to exist already.)
!macro NORMALIZE var
  ${If} ${var} != ""
    System::Call 'kernel32::GetFullPathNameW(w "${var}", i ${NSIS_MAX_STRLEN}, w .R9, p 0) i .R8'
    ${If} $R8 > 0
    ${AndIf} $R8 < ${NSIS_MAX_STRLEN}
      StrCpy ${var} $R9
    ${EndIf}
  ${EndIf}
!macroend

; RMDir of `dir` when empty and when it holds `inside` (a CreatedFolderN
; value is the user's to edit: no other folder is touched).
!macro RMDIR_ABOVE dir inside
  StrLen $R5 "${dir}\"
  StrCpy $R6 "${inside}" $R5
  ${If} $R6 == "${dir}\"
    RMDir "${dir}"
  ${EndIf}
!macroend

; $R5 = 1 when $INSTDIR already holds files and is neither our install
; (the entry's folder) nor a copy of ours (our client in it) (a folder of the user's chosen with /D= or typed in): ours
; would replace files of the same names there.
Function ForeignFolder
  StrCpy $R5 0
  ${DirState} "$INSTDIR" $0
  ReadRegStr $1 HKCU "${UNINST_KEY}" "InstallLocation"
  !insertmacro NORMALIZE $1
  ${If} $0 == 1
  ${AndIfNot} ${FileExists} "$INSTDIR\chat_client.exe"
  ${AndIf} $1 != $INSTDIR
    StrCpy $R5 1 ; (another program's uninstall.exe makes it no more ours)
  ${EndIf}
FunctionEnd

!define FOREIGN_TEXT "$INSTDIR already holds other files. Install Win32 Chat there anyway?$\r$\n$\r$\n\
Its README.txt and LICENSE.txt would replace files of those names; uninstalling later \
removes only the files Win32 Chat installed."

; The Directory page: a folder of other files is confirmed before leaving.
Function DirectoryLeave
  Call ForeignFolder
  ${If} $R5 == 1
    MessageBox MB_YESNO|MB_ICONEXCLAMATION "${FOREIGN_TEXT}" IDYES ok
    Abort ; stays on the page
    ok:
  ${EndIf}
FunctionEnd

Section "Win32 Chat (client and server)" SecMain
  SectionIn RO
  !insertmacro NORMALIZE $INSTDIR
  ${If} ${Silent}
    Call ForeignFolder
    ${If} $R5 == 1
      SetErrorLevel 4 ; /D= names a folder of other files: nothing done
      Quit
    ${EndIf}
  ${EndIf}
  Call ProgramsClosed

  StrCpy $R7 0 ; a desktop shortcut the user had is made again below
  ${If} ${FileExists} "$DESKTOP\Win32 Chat.lnk"
    StrCpy $R7 1
  ${EndIf}

  ; The folders above $INSTDIR this install makes (a /D=C:\new\folder),
  ; innermost first: named in the entry once the install is done.
  StrCpy $NewCreated ""
  StrCpy $R0 "$INSTDIR"
  ${Do}
    ${GetParent} "$R0" $R0
    ${If} $R0 == ""
    ${OrIf} ${FileExists} "$R0\*.*"
      ${ExitDo}
    ${EndIf}
    StrCpy $NewCreated "$NewCreated$R0|"
  ${Loop}

  ; The files first: a file that cannot be written stops the install here,
  ; with an earlier copy and its entry still whole.
  SetOutPath "$INSTDIR"
  !insertmacro PROGRAM_FILES INSTALL_FILE
  WriteUninstaller "$INSTDIR\uninstall.exe"

  ; Installed elsewhere before: that copy goes now (its own uninstaller,
  ; run in place and waited for; the settings stay), or there would be two
  ; copies and one entry, and the old copy's uninstaller would take this
  ; one's entry and shortcuts.
  ReadRegStr $R3 HKCU "${UNINST_KEY}" "InstallLocation"
  !insertmacro NORMALIZE $R3
  ${If} $R3 != ""
  ${AndIf} $R3 != $INSTDIR
  ${AndIf} ${FileExists} "$R3\uninstall.exe"
    DetailPrint "Removing the earlier copy in $R3 (your settings stay)"
    ; The folders that install made above it: run in place, its uninstaller
    ; cannot remove them (its own file is still in $R3).
    StrCpy $OldCreated ""
    StrCpy $R1 1
    ${Do}
      ReadRegStr $R0 HKCU "${UNINST_KEY}" "CreatedFolder$R1"
      ${If} $R0 == ""
        ${ExitDo}
      ${EndIf}
      StrCpy $OldCreated "$OldCreated$R0|"
      IntOp $R1 $R1 + 1
    ${Loop}
    ClearErrors
    ExecWait '"$R3\uninstall.exe" /S _?=$R3' $R4
    ${If} ${Errors}
    ${OrIf} $R4 != 0
      ; Undone: this copy's files go, the earlier one stays as it was.
      !insertmacro PROGRAM_FILES REMOVE_FILE
      Delete "$INSTDIR\uninstall.exe"
      RMDir "$INSTDIR"
      StrCpy $Folders $NewCreated
      ${Do}
        Call PopFolder
        ${If} $R0 == ""
          ${ExitDo}
        ${EndIf}
        !insertmacro RMDIR_ABOVE "$R0" "$INSTDIR"
      ${Loop}
      MessageBox MB_OK|MB_ICONSTOP "Win32 Chat in $R3 could not be removed (is it running?). \
          Nothing was installed." /SD IDOK
      SetErrorLevel 3
      Quit
    ${EndIf}
    ; Run in place (_?=), it could not delete itself; a moment for the
    ; system to let go of the file.
    StrCpy $R1 0
    ${Do}
      Delete "$R3\uninstall.exe"
      ${IfNot} ${FileExists} "$R3\uninstall.exe"
      ${OrIf} $R1 >= 20
        ${ExitDo}
      ${EndIf}
      Sleep 100
      IntOp $R1 $R1 + 1
    ${Loop}
    RMDir "$R3"
    StrCpy $Folders $OldCreated
    ${Do}
      Call PopFolder
      ${If} $R0 == ""
        ${ExitDo}
      ${EndIf}
      !insertmacro RMDIR_ABOVE "$R0" "$R3"
    ${Loop}
  ${EndIf}

  StrCpy $Folders $NewCreated
  StrCpy $R1 0
  ${Do}
    Call PopFolder
    ${If} $R0 == ""
      ${ExitDo}
    ${EndIf}
    IntOp $R1 $R1 + 1
    WriteRegStr HKCU "${UNINST_KEY}" "CreatedFolder$R1" "$R0"
  ${Loop}

  CreateDirectory "$SMPROGRAMS\${PRODUCT}"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Win32 Chat.lnk" "$INSTDIR\chat_client.exe" "" \
      "$INSTDIR\chat_client.exe" 0 SW_SHOWNORMAL "" "Chat with the people on a Win32 Chat server"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Win32 Chat Server.lnk" "$INSTDIR\chat_server.exe" "" \
      "$INSTDIR\chat_client.exe" 0 SW_SHOWNORMAL "" "Run a chat server on this computer (port 12345)"
  CreateShortcut "$SMPROGRAMS\${PRODUCT}\Uninstall Win32 Chat.lnk" "$INSTDIR\uninstall.exe"
  ${If} $R7 == 1
    CreateShortcut "$DESKTOP\Win32 Chat.lnk" "$INSTDIR\chat_client.exe"
  ${EndIf}

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
  ; KB of our files (not of others in the folder): the section's and the
  ; uninstaller's.
  SectionGetSize ${SecMain} $0
  FileOpen $1 "$INSTDIR\uninstall.exe" r
  FileSeek $1 0 END $2
  FileClose $1
  IntOp $2 $2 / 1024
  IntOp $0 $0 + $2
  WriteRegDWORD HKCU "${UNINST_KEY}" "EstimatedSize" $0
SectionEnd

Section /o "Desktop shortcut" SecDesktop
  CreateShortcut "$DESKTOP\Win32 Chat.lnk" "$INSTDIR\chat_client.exe"
SectionEnd

; An install that stopped half-way (a file that could not be written)
; leaves no entry that names nothing: a key of this install alone (no
; earlier version's name in it) goes.
Function .onInstFailed
  ReadRegStr $0 HKCU "${UNINST_KEY}" "DisplayName"
  ${If} $0 == ""
    DeleteRegKey HKCU "${UNINST_KEY}"
  ${EndIf}
FunctionEnd

Function .onInit
  ; Asked before going back to an older version (silently, it is done).
  ReadRegStr $R0 HKCU "${UNINST_KEY}" "DisplayVersion"
  ${If} $R0 != ""
    ${VersionCompare} "${VERSION}" "$R0" $R1
    ${If} $R1 == 2
      MessageBox MB_YESNO|MB_ICONQUESTION "Win32 Chat $R0, a newer version, is installed. \
          Replace it with ${VERSION}?" /SD IDYES IDYES older_ok
      Quit
      older_ok:
    ${EndIf}
  ${EndIf}
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
    !insertmacro RMDIR_ABOVE "$R0" "$INSTDIR"
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
  ; Only the uninstaller of the installed copy acts (another one, copied
  ; or left in an old folder, would delete files of our names where it
  ; sits and take the entry): the folder the entry names, or, with no
  ; entry, a folder that holds our client.
  ReadRegStr $R3 HKCU "${UNINST_KEY}" "InstallLocation"
  !insertmacro NORMALIZE $R3
  StrCpy $R4 0 ; ours?
  ${If} $R3 == $INSTDIR
    StrCpy $R4 1
  ${ElseIf} $R3 == ""
  ${AndIf} ${FileExists} "$INSTDIR\chat_client.exe"
    StrCpy $R4 1
  ${EndIf}
  ${If} $R4 == 0
    MessageBox MB_OK|MB_ICONSTOP "This is not the uninstaller of the installed Win32 Chat \
        ($R3). Nothing was removed." /SD IDOK
    SetErrorLevel 2
    Quit
  ${EndIf}
  ${GetParameters} $R0
  ClearErrors
  ${GetOptions} $R0 "/REMOVESETTINGS" $R1
  ${IfNot} ${Errors}
    !insertmacro SelectSection ${UnSecSettings}
  ${EndIf}
FunctionEnd
