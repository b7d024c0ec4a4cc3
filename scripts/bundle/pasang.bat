@echo off
rem spm-xl: memasang paket spm-xl dan add-in xlwings TANPA internet, dari folder ini.
rem Pemakaian:  pasang.bat            (memakai Python {PYTHON_VERSION} 64-bit lewat peluncur "py")
rem             pasang.bat "C:\...\python.exe"   (Python lain yang ditunjuk langsung)
setlocal
set "PAKET=%~dp0"
set "PY=%~1"
if "%PY%"=="" (
  where py >nul 2>nul || goto tanpa_py
  for /f "delims=" %%i in ('py -{PYTHON_VERSION} -c "import sys; print(sys.executable)" 2^>nul') do set "PY=%%i"
)
if "%PY%"=="" goto tanpa_py
"%PY%" -c "import struct, sys; sys.exit(0 if struct.calcsize('P') == 8 and sys.version_info[:2] == ({PYTHON_VERSION_TUPLE}) else 1)"
if errorlevel 1 goto bukan_312
echo [1/4] Memasang spm-xl dan xlwings ke "%PY%" dari folder wheels (tanpa internet)...
"%PY%" -m pip install --no-index --find-links "%PAKET%wheels" --upgrade --no-warn-script-location "spm-xl[excel]"
if errorlevel 1 goto gagal
echo [2/4] Memasang add-in xlwings untuk Excel (tutup Excel dulu)...
"%PY%" -m xlwings.cli addin install
if errorlevel 1 goto gagal
echo [3/4] Mengatur add-in: Interpreter = Python ini, folder buku kerja tidak masuk PYTHONPATH...
"%PY%" -m xlwings.cli config create --force
if errorlevel 1 goto gagal
>>"%USERPROFILE%\.xlwings\xlwings.conf" echo "ADD_WORKBOOK_TO_PYTHONPATH","False"
echo [4/4] Memeriksa pemasangan...
"%PY%" -m spm_xl --version
if errorlevel 1 goto gagal
"%PY%" -c "import {EXCEL_PACKAGE}.buttons"
if errorlevel 1 goto gagal
echo.
echo SELESAI. Buka Excel, lalu buka templat .xlsm dari folder templat.
echo Interpreter add-in xlwings: %PY%
pause
exit /b 0

:bukan_312
rem no parenthesised block around a path: "Program Files (x86)" would end the block
echo GAGAL: "%PY%" bukan Python {PYTHON_VERSION} 64-bit. Pasang {PYTHON_INSTALLER} lalu ulangi.
goto gagal

:tanpa_py
echo GAGAL: Python {PYTHON_VERSION} 64-bit tidak ditemukan. Pasang dulu {PYTHON_INSTALLER}
echo (lihat BACA-SAYA.txt), atau jalankan: pasang.bat "C:\letak\python.exe"
:gagal
echo Pemasangan TIDAK selesai. Baca pesan di atas dan BACA-SAYA.txt bagian "Bila gagal".
pause
exit /b 1
