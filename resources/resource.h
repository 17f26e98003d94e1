/* resource.h: the IDs shared by chat_client.rc and the C code. */
#ifndef CHAT_RESOURCE_H
#define CHAT_RESOURCE_H

#ifndef IDC_STATIC
#define IDC_STATIC (-1)
#endif

#define IDI_APP 1
#define IDR_MENU 100
#define IDR_ACCEL 101
#define IDD_ABOUT 200
#define IDC_ABOUT_VERSION 201
#define IDC_ABOUT_ICON 202
#define IDD_CONNECT 300
#define IDC_CONNECT_HOST 301
#define IDC_CONNECT_PORT 302
#define IDC_CONNECT_USER 303
#define IDC_CONNECT_PROMPT 304

/* Menu and accelerator commands. */
#define IDM_CONNECT 1001
#define IDM_DISCONNECT 1002
#define IDM_EXIT 1003
#define IDM_CLEAR_LOG 1004
#define IDM_ABOUT 1005
#define IDM_SAVE_LOG 1006
#define IDM_COPY 1007
#define IDM_SELECT_ALL 1008
#define IDM_PEOPLE 1009
#define IDM_FIND 1010
#define IDM_FIND_NEXT 1011
#define IDM_FIND_PREV 1012
#define IDM_THEME_SYSTEM 1013 /* the three are a radio group, in this order */
#define IDM_THEME_LIGHT 1014
#define IDM_THEME_DARK 1015
#define IDM_FONT 1016
#define IDM_FONT_DEFAULT 1017

/* Child controls of the main window. */
#define IDC_COUNT 2001
#define IDC_MESSAGE_CAPTION 2002
#define IDC_MESSAGE 2003
#define IDC_LOG_CAPTION 2004
#define IDC_LOG 2005
#define IDC_INPUT 2006
#define IDC_SEND 2007
#define IDC_STATUS 2008
#define IDC_COUNTER 2009
#define IDC_PEOPLE_CAPTION 2010
#define IDC_PEOPLE 2011
#define IDC_GRAPH 2012

#endif
